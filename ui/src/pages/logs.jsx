// A step attempt's log: read whole when it has ended; followed (the API's follow=true, a chunked answer read as it
// comes) while it runs. Scrolled to the end while the reader is at the end.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { download, follow, seg } from '../api.js';
import { ActionButton, ErrorBox } from '../ui.jsx';

/** The most text kept on the page: a log longer than this shows its end (the whole file is a download away). */
const KEEP = 2 * 1024 * 1024;

export function LogView({ runId, step, attempt, running }) {
  const [text, setText] = useState('');
  const [error, setError] = useState(null);
  // loading (an ended attempt's log on its way), following (a running one's, as it grows), ended (all of it here)
  const [phase, setPhase] = useState(running ? 'following' : 'loading');
  const pre = useRef(null);
  const atEnd = useRef(true);
  const path = `/runs/${seg(runId)}/steps/${seg(step)}/logs`;

  useEffect(() => {
    const abort = new AbortController();
    let buffer = '';
    let frame = 0;
    const show = () => {
      frame = 0;
      setText(buffer);
    };
    setPhase(running ? 'following' : 'loading');
    follow(
      path,
      { attempt, follow: running ? 'true' : undefined },
      (piece) => {
        if (!piece) return;
        buffer += piece;
        if (buffer.length > KEEP) buffer = buffer.slice(buffer.length - KEEP);
        if (!frame) frame = requestAnimationFrame(show);
      },
      abort.signal,
    ).then(
      () => {
        setText(buffer);
        setPhase('ended');
      },
      (e) => {
        if (e.name !== 'AbortError') setError(e);
        setPhase('ended');
      },
    );
    return () => {
      abort.abort();
      cancelAnimationFrame(frame);
    };
  }, [path, attempt]);

  useLayoutEffect(() => {
    const el = pre.current;
    if (el && atEnd.current) el.scrollTop = el.scrollHeight;
  }, [text]);

  const lines = text ? text.split('\n').length - (text.endsWith('\n') ? 1 : 0) : 0;
  return (
    <div class="logview">
      <div class="log-head muted small">
        <span data-testid="log-state" data-phase={phase}>
          {{ loading: 'loading…', following: '● following', ended: 'ended' }[phase]}
        </span>
        <span>{lines} lines</span>
        <ActionButton action={() => download(path, `${step}-${attempt}.log`, { attempt })}>Download</ActionButton>
      </div>
      <ErrorBox error={error} />
      <pre
        class="log"
        ref={pre}
        data-testid="log"
        data-lines={lines}
        onScroll={(e) => {
          const el = e.currentTarget;
          atEnd.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 24;
        }}
      >
        {text || { loading: '', following: 'waiting for output…', ended: '(empty)' }[phase]}
      </pre>
    </div>
  );
}
