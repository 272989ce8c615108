/*
 * baton-launch SIGNAL PARENT COMMAND [ARGUMENT...]
 *
 * Runs COMMAND as the leader of a session of its own, with SIGNAL (a name such as KILL or TERM, or a number) as its
 * parent-death signal: what `setpriv --pdeathsig SIGNAL -- setsid -- COMMAND` does, in one exec instead of two.
 * PARENT is the pid of the worker that starts it: if the worker is gone before the signal is armed, COMMAND never
 * runs. The arguments reach COMMAND as they are; nothing goes through a shell.
 *
 * Exit status 127 when it cannot set up or cannot find COMMAND, 126 when COMMAND cannot be run; otherwise the
 * process is COMMAND. Built by ./baton with the system's C compiler; without it, workers use setpriv and setsid.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <unistd.h>

static int signal_number(const char *text) {
  static const struct { const char *name; int number; } names[] = {
    {"KILL", SIGKILL}, {"TERM", SIGTERM}, {"INT", SIGINT}, {"HUP", SIGHUP}, {"QUIT", SIGQUIT},
  };
  const char *name = strncasecmp(text, "SIG", 3) == 0 ? text + 3 : text;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (strcasecmp(name, names[i].name) == 0) {
      return names[i].number;
    }
  }
  char *end;
  long number = strtol(text, &end, 10);
  return *text != '\0' && *end == '\0' && number >= 1 && number <= 64 ? (int) number : -1;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: baton-launch SIGNAL PARENT COMMAND [ARGUMENT...]\n");
    return 127;
  }
  int signal = signal_number(argv[1]);
  if (signal < 0) {
    fprintf(stderr, "baton-launch: '%s' is not a signal\n", argv[1]);
    return 127;
  }
  char *end;
  long parent = strtol(argv[2], &end, 10);
  if (*argv[2] == '\0' || *end != '\0' || parent < 1) {
    fprintf(stderr, "baton-launch: '%s' is not a pid\n", argv[2]);
    return 127;
  }
  if (prctl(PR_SET_PDEATHSIG, (unsigned long) signal) != 0) {
    fprintf(stderr, "baton-launch: cannot set the parent-death signal: %s\n", strerror(errno));
    return 127;
  }
  if (getppid() != (pid_t) parent) {
    return 127; /* the worker died before the signal was armed: run nothing */
  }
  if (setsid() < 0) {
    fprintf(stderr, "baton-launch: cannot start a session: %s\n", strerror(errno));
    return 127;
  }
  execvp(argv[3], argv + 3);
  int error = errno;
  fprintf(stderr, "baton-launch: cannot run %s: %s\n", argv[3], strerror(error));
  return error == ENOENT ? 127 : 126;
}
