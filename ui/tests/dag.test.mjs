// The run page's graph without a browser: which step needs which (the spec's needs, matrix combinations, inputs from
// other steps) and where each goes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dependencies, layout } from '../src/pages/dagLayout.js';

const steps = (...names) => names.map((name) => ({ name }));
const deps = (d) => Object.fromEntries([...d].map(([k, v]) => [k, [...v].sort()]));

const SPEC = `
name: iris
steps:
  - name: preprocess
    command: ["true"]
  - name: train
    needs: [preprocess]
    matrix: {lr: [0.1, 0.01]}
    command: ["true"]
  - name: evaluate
    needs: [train]
    command: ["true"]
`;

test('a matrix step: every combination needs what its step needs, and is needed by what needs its step', () => {
  const run = steps('preprocess', 'train[lr=0.1]', 'train[lr=0.01]', 'evaluate');
  assert.deepEqual(deps(dependencies(run, SPEC, [])), {
    preprocess: [],
    'train[lr=0.1]': ['preprocess'],
    'train[lr=0.01]': ['preprocess'],
    evaluate: ['train[lr=0.01]', 'train[lr=0.1]'],
  });
});

test("the record's inputs add edges, and an unreadable spec leaves them alone", () => {
  const run = steps('a', 'b');
  const inputs = [{ step: 'b', files: [{ source: 'step:a' }, { source: 'dataset:p/d/1' }] }];
  assert.deepEqual(deps(dependencies(run, 'steps: [unclosed', inputs)), { a: [], b: ['a'] });
  assert.deepEqual(deps(dependencies(run, undefined, undefined)), { a: [], b: [] });
});

test('needs written as one name count as a list of one', () => {
  const spec = 'steps:\n  - {name: a}\n  - {name: b, needs: a}\n';
  assert.deepEqual(deps(dependencies(steps('a', 'b'), spec, [])), { a: [], b: ['a'] });
});

test('each step is placed right of every step it needs; a column is centred on the tallest', () => {
  const run = steps('preprocess', 'train[lr=0.1]', 'train[lr=0.01]', 'evaluate');
  const { pos, width, height } = layout(run, dependencies(run, SPEC, []));
  const x = (n) => pos.get(n).x;
  assert.ok(x('preprocess') < x('train[lr=0.1]'));
  assert.equal(x('train[lr=0.1]'), x('train[lr=0.01]'));
  assert.ok(x('train[lr=0.1]') < x('evaluate'));
  assert.notEqual(pos.get('train[lr=0.1]').y, pos.get('train[lr=0.01]').y);
  assert.equal(pos.get('preprocess').y, pos.get('evaluate').y, 'a lone step sits in the middle');
  assert.ok(width > x('evaluate') && height > pos.get('train[lr=0.01]').y);
});

test('a cycle (a bad record) still places every step', () => {
  const run = steps('a', 'b');
  const cycle = new Map([['a', new Set(['b'])], ['b', new Set(['a'])]]);
  const { pos } = layout(run, cycle);
  assert.equal(pos.size, 2);
});
