/*
 * baton-launch [OPTION...] SIGNAL PARENT COMMAND [ARGUMENT...]
 *
 * Runs COMMAND as the leader of a session of its own, with SIGNAL (a name such as KILL or TERM, or a number) as its
 * parent-death signal: what `setpriv --pdeathsig SIGNAL -- setsid -- COMMAND` does, in one exec instead of two.
 * PARENT is the pid of the worker that starts it: if the worker is gone before the signal is armed, COMMAND never
 * runs. The arguments reach COMMAND as they are; nothing goes through a shell.
 *
 * With options, COMMAND runs in the step sandbox (docs/architecture.md, "Security boundaries"). The launcher then
 * stays COMMAND's parent, a child subreaper: when COMMAND ends, it kills whatever COMMAND left (a `setsid` or a
 * double fork included) before it exits with COMMAND's status. Every layer asked for is set up or the start fails
 * (status 127, the reason on stderr): a worker probes once which layers its machine allows, and asks only for those.
 *
 *   --reap            only the subreaper (no namespace)
 *   --pid             a pid namespace: COMMAND sees its own processes only (a fresh /proc); when it ends, the kernel
 *                     kills the rest of the namespace
 *   --net             a network namespace with loopback only: no host service (Temporal, the API) and no egress
 *   --slirp PATH      with --net: egress through slirp4netns at PATH (the host's loopback stays out of reach)
 *   --readonly        the whole file tree read-only
 *   --hide PATH       an empty folder over PATH (the worker's data and work folders)
 *   --bind PATH       PATH shown again, read-write, where a --hide hid it (the attempt's workspace)
 *   --bind-ro PATH    the same, read-only (the worker's sitecustomize folder)
 *   --tmp             an empty /tmp and /dev/shm of its own (before the binds: a bind under /tmp is made again)
 *   --chdir PATH      the working folder, entered once the folders are in place
 *   --user UID:GID    run as this user (a worker running as root); the capabilities are dropped in any case
 *   --relay PORT:ADDRESS:TARGET
 *                     with --net: 127.0.0.1:PORT inside the step's network leads to ADDRESS:TARGET outside (the
 *                     Baton server's API; ADDRESS is an IPv4 address or a bracketed IPv6 one) and nowhere else. A
 *                     relay, a child of the launcher that stays in the worker's network and holds no capability,
 *                     accepts on a socket made inside and connects each connection to the target
 *
 * Without root, the namespaces are made inside a user namespace of the worker's own user. Exit status 127 when it
 * cannot set up or cannot find COMMAND, 126 when COMMAND cannot be run; otherwise COMMAND's (a COMMAND killed by a
 * signal ends the launcher with the same signal). Built by ./baton with the system's C compiler; without it,
 * workers use setpriv and setsid, and steps run without the sandbox.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <arpa/inet.h>
#include <linux/capability.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

#define MAX_PATHS 16

struct sandbox {
  int reap, pid, net, readonly;
  const char *hide[MAX_PATHS];
  int hides;
  const char *bind[MAX_PATHS];
  int bind_readonly[MAX_PATHS];
  int binds;
  int tmp;
  const char *chdir;
  const char *slirp;
  long uid, gid;
  int relay_port; /* 0: no relay */
  struct sockaddr_storage relay_target;
  socklen_t relay_target_length;
};

/* The kernel's own struct mount_attr, declared here: older C libraries lack it. */
struct launch_mount_attr {
  unsigned long long attr_set, attr_clr, propagation, userns_fd;
};

static int fail(const char *what, const char *path) {
  fprintf(stderr, "baton-launch: cannot %s%s%s: %s\n", what, path ? " " : "", path ? path : "", strerror(errno));
  return 127;
}

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

static int write_file(const char *file, const char *text) {
  int fd = open(file, O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    return -1;
  }
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return n == (ssize_t) strlen(text) ? 0 : -1;
}

/* Maps the worker's own user and group into a new user namespace, so that it may make the others. */
static int map_own_user(uid_t uid, gid_t gid) {
  char line[64];
  if (write_file("/proc/self/setgroups", "deny") != 0 && errno != ENOENT) {
    return fail("deny setgroups in the user namespace", NULL);
  }
  snprintf(line, sizeof line, "%u %u 1\n", (unsigned) uid, (unsigned) uid);
  if (write_file("/proc/self/uid_map", line) != 0) {
    return fail("map the user in the user namespace", NULL);
  }
  snprintf(line, sizeof line, "%u %u 1\n", (unsigned) gid, (unsigned) gid);
  if (write_file("/proc/self/gid_map", line) != 0) {
    return fail("map the group in the user namespace", NULL);
  }
  return 0;
}

static int mkdirs(const char *path) {
  char buffer[4096];
  if (strlen(path) >= sizeof buffer) {
    errno = ENAMETOOLONG;
    return -1;
  }
  strcpy(buffer, path);
  for (char *slash = buffer + 1; ; slash++) {
    if (*slash == '/' || *slash == '\0') {
      char kept = *slash;
      *slash = '\0';
      if (mkdir(buffer, 0755) == 0) {
        chmod(buffer, 0755); /* whatever the umask: the step's user must pass through to its workspace */
      } else if (errno != EEXIST) {
        return -1;
      }
      if (kept == '\0') {
        return 0;
      }
      *slash = kept;
    }
  }
}

/* A detached copy of the mount at PATH, taken before the folders above it are hidden. */
static int clone_tree(const char *path, int readonly) {
  int fd = (int) syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
  if (fd < 0) {
    return -1;
  }
  if (readonly) {
    struct launch_mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
    if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) != 0) {
      close(fd);
      return -1;
    }
  }
  return fd;
}

static int attach_tree(int fd, const char *path) {
  if (mkdirs(path) != 0) {
    return -1;
  }
  return (int) syscall(SYS_move_mount, fd, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH);
}

/* The folders: a private copy of the mount tree, read-only, with the hidden folders emptied and the binds back. */
static int set_up_folders(const struct sandbox *s) {
  int binds[MAX_PATHS];
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
    return fail("make the mounts private", NULL);
  }
  if (s->pid && mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
    return fail("mount a fresh /proc", NULL);
  }
  for (int i = 0; i < s->binds; i++) {
    if ((binds[i] = clone_tree(s->bind[i], s->bind_readonly[i])) < 0) {
      return fail("take a copy of", s->bind[i]);
    }
  }
  if (s->readonly) {
    struct launch_mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};
    if (syscall(SYS_mount_setattr, AT_FDCWD, "/", AT_RECURSIVE, &attr, sizeof attr) != 0) {
      return fail("make the file tree read-only", NULL);
    }
  }
  if (s->tmp) {
    if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") != 0) {
      return fail("mount an empty", "/tmp");
    }
    if (access("/dev/shm", F_OK) == 0 && mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") != 0) {
      return fail("mount an empty", "/dev/shm");
    }
  }
  for (int i = 0; i < s->hides; i++) {
    /* a folder that is not there (an empty /tmp hid it already) needs no hiding */
    if (mount("tmpfs", s->hide[i], "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=755") != 0 && errno != ENOENT) {
      return fail("hide", s->hide[i]);
    }
  }
  for (int i = 0; i < s->binds; i++) {
    if (attach_tree(binds[i], s->bind[i]) != 0) {
      return fail("show", s->bind[i]);
    }
    close(binds[i]);
  }
  return 0;
}

static int loopback_up(void) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct ifreq request;
  memset(&request, 0, sizeof request);
  strcpy(request.ifr_name, "lo");
  int ok = fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &request) == 0
      && (request.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &request) == 0);
  if (fd >= 0) {
    close(fd);
  }
  return ok ? 0 : fail("bring the loopback up", NULL);
}

/* No capability now or after exec; no gaining one (setuid programs) either. */
static int drop_privileges(const struct sandbox *s) {
  /* the bounding set first: dropping it takes a capability the step's user no longer has */
  for (int cap = 0; cap <= 63; cap++) {
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno == EINVAL) {
      break; /* past the last capability this kernel knows */
    }
  }
  if (s->uid >= 0) {
    if (setgroups(0, NULL) != 0 || setresgid((gid_t) s->gid, (gid_t) s->gid, (gid_t) s->gid) != 0
        || setresuid((uid_t) s->uid, (uid_t) s->uid, (uid_t) s->uid) != 0) {
      return fail("switch to the step's user", NULL);
    }
  }
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct none[2];
  memset(none, 0, sizeof none);
  if (syscall(SYS_capset, &header, none) != 0) {
    return fail("drop the capabilities", NULL);
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return fail("forbid new privileges", NULL);
  }
  return 0;
}

/*
 * The relay: the one way out of an isolated step's network, to the Baton server's API. It runs outside the step's
 * network namespace (forked before it is made) and accepts on a listening socket the step's first process made
 * inside and handed over; each connection gets a socket of the worker's network, connected to the target only.
 */
#define RELAY_LINKS 128
#define RELAY_BUFFER 65536

/* Bytes read from {@code from} and not yet written to {@code to}. */
struct flow {
  int from, to;
  char *data;
  size_t start, end;
  int eof, shut;
};

/* One connection of the step (inside) and its twin to the target (outside). */
struct link {
  int inside, outside, connecting;
  struct flow up, down;
};

static int relay_failed_once;

static void relay_said(const char *what) {
  if (!relay_failed_once) {
    relay_failed_once = 1;
    fprintf(stderr, "baton-launch: the relay to the Baton server cannot %s: %s\n", what, strerror(errno));
  }
}

static int send_fd(int channel, int fd) {
  char byte = 1;
  struct iovec part = {&byte, 1};
  union {
    struct cmsghdr header;
    char space[CMSG_SPACE(sizeof(int))];
  } control;
  memset(&control, 0, sizeof control);
  struct msghdr message = {.msg_iov = &part, .msg_iovlen = 1, .msg_control = control.space,
      .msg_controllen = sizeof control.space};
  struct cmsghdr *header = CMSG_FIRSTHDR(&message);
  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(header), &fd, sizeof fd);
  return sendmsg(channel, &message, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

static int receive_fd(int channel) {
  char byte;
  struct iovec part = {&byte, 1};
  union {
    struct cmsghdr header;
    char space[CMSG_SPACE(sizeof(int))];
  } control;
  struct msghdr message = {.msg_iov = &part, .msg_iovlen = 1, .msg_control = control.space,
      .msg_controllen = sizeof control.space};
  ssize_t n;
  while ((n = recvmsg(channel, &message, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
  }
  struct cmsghdr *header = n == 1 ? CMSG_FIRSTHDR(&message) : NULL;
  if (header == NULL || header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) {
    return -1; /* the step's first process ended before it made the socket */
  }
  int fd;
  memcpy(&fd, CMSG_DATA(header), sizeof fd);
  return fd;
}

/*
 * In the step's network namespace, its loopback up: listens on 127.0.0.1:PORT and hands the socket to the relay.
 * Done before the command runs, so that its first connection is queued even if the relay has not accepted yet.
 */
static int open_relay(const struct sandbox *s, int channel) {
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t) s->relay_port)};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0 || bind(listener, (struct sockaddr *) &address, sizeof address) != 0 || listen(listener, 64) != 0
      || send_fd(channel, listener) != 0) {
    return fail("open the relay to the Baton server", NULL);
  }
  close(listener);
  close(channel);
  return 0;
}

static int dial(struct link *link, const struct sandbox *s) {
  link->outside = socket(s->relay_target.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (link->outside < 0) {
    return -1;
  }
  if (connect(link->outside, (const struct sockaddr *) &s->relay_target, s->relay_target_length) == 0) {
    link->connecting = 0;
  } else if (errno == EINPROGRESS) {
    link->connecting = 1;
  } else {
    close(link->outside);
    return -1;
  }
  return 0;
}

static int open_link(struct link *link, int inside, const struct sandbox *s) {
  memset(link, 0, sizeof *link);
  link->inside = inside;
  char *data = malloc(2 * RELAY_BUFFER);
  if (data == NULL || dial(link, s) != 0) {
    relay_said(data == NULL ? "take memory" : "connect");
    free(data);
    close(inside); /* the step sees its connection closed: no API */
    return -1;
  }
  link->up = (struct flow) {.from = inside, .to = link->outside, .data = data};
  link->down = (struct flow) {.from = link->outside, .to = inside, .data = data + RELAY_BUFFER};
  return 0;
}

static void close_link(struct link *link) {
  close(link->inside);
  close(link->outside);
  free(link->up.data);
}

/* Moves what it can one way without blocking; -1 when the connection is broken. */
static int pump(struct flow *f) {
  if (!f->eof && f->end < RELAY_BUFFER) {
    ssize_t n = read(f->from, f->data + f->end, RELAY_BUFFER - f->end);
    if (n > 0) {
      f->end += (size_t) n;
    } else if (n == 0) {
      f->eof = 1;
    } else if (errno != EAGAIN && errno != EINTR) {
      return -1;
    }
  }
  if (f->end > f->start) {
    ssize_t n = send(f->to, f->data + f->start, f->end - f->start, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      return -1;
    }
    f->start += n > 0 ? (size_t) n : 0;
    if (f->start == f->end) {
      f->start = f->end = 0;
    }
  }
  if (f->eof && f->end == 0 && !f->shut) {
    shutdown(f->to, SHUT_WR); /* each side's end reaches the other: an HTTP client may half-close */
    f->shut = 1;
  }
  return 0;
}

/* Whether the link still carries anything, after moving what poll said may move. */
static int advance(struct link *link) {
  if (link->connecting) {
    int error = 0;
    socklen_t length = sizeof error;
    if (getsockopt(link->outside, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
      errno = error;
      relay_said("connect");
      return 0;
    }
    link->connecting = 0;
  }
  return pump(&link->up) == 0 && pump(&link->down) == 0 && !(link->up.shut && link->down.shut);
}

/* What to wait for on one side; an fd with nothing to wait for is left out (its hang-up would wake us in vain). */
static void watch(struct pollfd *p, int fd, const struct flow *reading, const struct flow *writing) {
  short events = (short) ((!reading->eof && reading->end < RELAY_BUFFER ? POLLIN : 0)
      | (writing->end > writing->start ? POLLOUT : 0));
  p->fd = events != 0 ? fd : -1;
  p->events = events;
  p->revents = 0;
}

static int relay_loop(const struct sandbox *s, int listener) {
  static struct link links[RELAY_LINKS];
  static struct pollfd polled[1 + 2 * RELAY_LINKS];
  int count = 0;
  for (;;) {
    polled[0] = (struct pollfd) {count < RELAY_LINKS ? listener : -1, POLLIN, 0};
    for (int i = 0; i < count; i++) {
      struct link *link = &links[i];
      if (link->connecting) {
        polled[1 + 2 * i] = (struct pollfd) {-1, 0, 0};
        polled[2 + 2 * i] = (struct pollfd) {link->outside, POLLOUT, 0};
      } else {
        watch(&polled[1 + 2 * i], link->inside, &link->up, &link->down);
        watch(&polled[2 + 2 * i], link->outside, &link->down, &link->up);
      }
    }
    if (poll(polled, (nfds_t) (1 + 2 * count), -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      return 1;
    }
    for (int i = count - 1; i >= 0; i--) { /* from the end: an ended link's place takes one already seen */
      if ((polled[1 + 2 * i].revents | polled[2 + 2 * i].revents) != 0 && !advance(&links[i])) {
        close_link(&links[i]);
        links[i] = links[--count];
      }
    }
    if (polled[0].revents != 0) {
      int inside;
      while (count < RELAY_LINKS && (inside = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
        if (open_link(&links[count], inside, s) == 0) {
          count++;
        }
      }
    }
  }
}

/* The relay's process: no capability, no core, deaf to the group's signals; it ends with the launcher. */
static int relay(const struct sandbox *s, int channel, pid_t launcher) {
  prctl(PR_SET_NAME, "baton-relay", 0, 0, 0);
  /* not dumpable: a step running as the same user cannot ptrace it to use its sockets of the worker's network */
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  dup2(null, STDIN_FILENO);
  dup2(null, STDOUT_FILENO); /* stderr stays: a target it cannot reach is said once in the step's log */
  if (null > STDERR_FILENO) {
    close(null);
  }
  int signals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE};
  for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
    signal(signals[i], SIG_IGN); /* a step's TERM trap may still report to the API */
  }
  if (drop_privileges(s) != 0) {
    return 127;
  }
  /* armed after the switch of user, which clears it */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != launcher) {
    return 127;
  }
  int listener = receive_fd(channel);
  close(channel);
  if (listener < 0) {
    return 0;
  }
  fcntl(listener, F_SETFL, fcntl(listener, F_GETFL) | O_NONBLOCK);
  return relay_loop(s, listener);
}

/* Forks the relay before the step's namespaces are made: it stays in the worker's network. */
static pid_t start_relay(const struct sandbox *s, int *channel) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
    fail("make a socket pair", NULL);
    return -1;
  }
  pid_t launcher = getpid();
  pid_t relay_pid = fork();
  if (relay_pid < 0) {
    fail("start the relay to the Baton server", NULL);
    return -1;
  }
  if (relay_pid == 0) {
    close(pair[0]);
    _exit(relay(s, pair[1], launcher));
  }
  close(pair[1]);
  *channel = pair[0];
  return relay_pid;
}

static void nothing(int signal) {
  (void) signal;
}

/* TERM and friends reach the whole process group: the launcher outlives them until COMMAND has ended. */
static void outlive_group_signals(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = nothing;
  int signals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE};
  for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
    sigaction(signals[i], &action, NULL);
  }
}

static void default_signals(void) {
  int signals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE};
  for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
    signal(signals[i], SIG_DFL);
  }
}

/* The pids of this process's children: /proc/self/task/PID/children, else a scan of /proc. */
static int children_of_self(pid_t *pids, int max) {
  char path[64];
  int n = 0;
  snprintf(path, sizeof path, "/proc/self/task/%d/children", (int) getpid());
  FILE *children = fopen(path, "re");
  if (children != NULL) {
    long pid;
    while (n < max && fscanf(children, "%ld", &pid) == 1) {
      pids[n++] = (pid_t) pid;
    }
    fclose(children);
    return n;
  }
  DIR *proc = opendir("/proc");
  struct dirent *entry;
  while (proc != NULL && n < max && (entry = readdir(proc)) != NULL) {
    char stat[4096];
    snprintf(path, sizeof path, "/proc/%.20s/stat", entry->d_name);
    int fd = entry->d_name[0] >= '1' && entry->d_name[0] <= '9' ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    ssize_t length = fd < 0 ? -1 : read(fd, stat, sizeof stat - 1);
    if (fd >= 0) {
      close(fd);
    }
    if (length <= 0) {
      continue;
    }
    stat[length] = '\0';
    char *after = strrchr(stat, ')');
    char state;
    long ppid;
    if (after != NULL && sscanf(after + 1, " %c %ld", &state, &ppid) == 2 && ppid == getpid()) {
      pids[n++] = (pid_t) atol(entry->d_name);
    }
  }
  if (proc != NULL) {
    closedir(proc);
  }
  return n;
}

/* Kills every child left, and the children they leave in turn (a subreaper inherits them), until none is left. */
static void kill_leftovers(void) {
  pid_t pids[256];
  for (;;) {
    int found = children_of_self(pids, 256);
    for (int i = 0; i < found; i++) {
      kill(pids[i], SIGKILL);
    }
    int status;
    pid_t reaped = waitpid(-1, &status, found > 0 ? 0 : WNOHANG);
    if (reaped < 0 && errno != EINTR) {
      return; /* no child left */
    }
    if (reaped == 0) {
      struct timespec pause = {0, 1000000}; /* a child /proc does not show yet: look again */
      nanosleep(&pause, NULL);
    }
  }
}

/* Ends the launcher as COMMAND ended: its exit code, or the signal that killed it. */
static int end_as(int status) {
  if (WIFSIGNALED(status)) {
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    signal(WTERMSIG(status), SIG_DFL);
    sigset_t all;
    sigemptyset(&all);
    sigaddset(&all, WTERMSIG(status));
    sigprocmask(SIG_UNBLOCK, &all, NULL);
    raise(WTERMSIG(status));
    return 128 + WTERMSIG(status);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 127;
}

static int exec_command(char **command) {
  default_signals();
  execvp(command[0], command);
  int error = errno;
  fprintf(stderr, "baton-launch: cannot run %s: %s\n", command[0], strerror(error));
  return error == ENOENT ? 127 : 126;
}

/*
 * The first process of the sandbox (in a pid namespace: its init). Sets up the folders, the network and the user,
 * then runs COMMAND; with a pid namespace it stays as its parent, reaps what is orphaned, and hands COMMAND's status
 * to the launcher through {@code report} (ending it then ends the namespace).
 */
static int sandboxed(const struct sandbox *s, char **command, int alive, int report, int netready, int netgo,
                     int relay_channel) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
    return fail("set the parent-death signal", NULL);
  }
  struct pollfd launcher = {alive, POLLIN, 0};
  if (poll(&launcher, 1, 0) != 0) {
    return 127; /* the launcher died before the signal was armed */
  }
  if (s->slirp) {
    /* a network namespace of this process alone, which slirp4netns (started by the launcher, outside) serves */
    char byte = 1;
    if (unshare(CLONE_NEWNET) != 0) {
      return fail("make the step's network namespace", NULL);
    }
    if (write(netready, &byte, 1) != 1 || read(netgo, &byte, 1) != 1) {
      return 127; /* slirp4netns could not start: the launcher said why */
    }
    close(netready);
    close(netgo);
  }
  if ((s->pid || s->readonly || s->hides || s->binds || s->tmp) && set_up_folders(s) != 0) {
    return 127;
  }
  if (s->net && loopback_up() != 0) {
    return 127;
  }
  if (s->relay_port && open_relay(s, relay_channel) != 0) {
    return 127;
  }
  if (drop_privileges(s) != 0) {
    return 127;
  }
  /* as the step's user: a workspace it cannot reach fails here, and the worker's probe says why */
  if (s->chdir && chdir(s->chdir) != 0) {
    return fail("enter", s->chdir);
  }
  /* a new user clears the parent-death signal: armed again, and the launcher checked again */
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || poll(&launcher, 1, 0) != 0) {
    return 127;
  }
  if (!s->pid) {
    return exec_command(command);
  }
  outlive_group_signals();
  pid_t child = fork();
  if (child < 0) {
    return fail("start", command[0]);
  }
  if (child == 0) {
    close(report);
    return exec_command(command);
  }
  int status;
  for (;;) {
    pid_t reaped = waitpid(-1, &status, 0);
    if (reaped == child) {
      break;
    }
    if (reaped < 0 && errno != EINTR) {
      status = 127 << 8;
      break;
    }
  }
  if (write(report, &status, sizeof status) != (ssize_t) sizeof status) {
    return 127;
  }
  return 0;
}

/*
 * Starts slirp4netns for the network namespace of process CHILD: the step's egress, without the host's loopback.
 * Returns its pid once it has configured the namespace, or -1 after saying why. Closing {@code exit_fd}'s other end
 * (the launcher exiting) ends it.
 */
static pid_t start_slirp(const struct sandbox *s, pid_t child, int *exit_write) {
  int ready[2], done[2];
  if (pipe2(ready, O_CLOEXEC) != 0 || pipe2(done, O_CLOEXEC) != 0) {
    fail("make a pipe", NULL);
    return -1;
  }
  pid_t slirp = fork();
  if (slirp < 0) {
    fail("start", s->slirp);
    return -1;
  }
  if (slirp == 0) {
    char pid[16], ready_fd[16], exit_fd[16];
    snprintf(pid, sizeof pid, "%d", (int) child);
    snprintf(ready_fd, sizeof ready_fd, "--ready-fd=%d", ready[1]);
    snprintf(exit_fd, sizeof exit_fd, "--exit-fd=%d", done[0]);
    fcntl(ready[1], F_SETFD, 0);
    fcntl(done[0], F_SETFD, 0);
    int null = open("/dev/null", O_RDWR);
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO); /* the step's output is the step's own; a failure is said by the launcher */
    dup2(null, STDERR_FILENO);
    /* without root, the user namespace's capabilities would end at exec: slirp4netns keeps them (it opens the
       step's namespace, which takes as many as the step's init holds, and configures its device) */
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct caps[2];
    if (syscall(SYS_capget, &header, caps) == 0) {
      caps[0].inheritable = caps[0].permitted;
      caps[1].inheritable = caps[1].permitted;
      if (syscall(SYS_capset, &header, caps) == 0) {
        for (int cap = 0; cap <= 63; cap++) {
          if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0 && errno == EINVAL && cap > CAP_SYS_ADMIN) {
            break; /* past the last capability this kernel knows */
          }
        }
      }
    }
    default_signals();
    execl(s->slirp, s->slirp, "--configure", "--mtu=65520", "--disable-host-loopback", ready_fd, exit_fd, pid,
        "tap0", (char *) NULL);
    fprintf(stderr, "baton-launch: cannot run %s: %s\n", s->slirp, strerror(errno));
    _exit(127);
  }
  close(ready[1]);
  close(done[0]);
  char byte;
  ssize_t n;
  while ((n = read(ready[0], &byte, 1)) < 0 && errno == EINTR) {
  }
  close(ready[0]);
  if (n != 1) {
    fprintf(stderr, "baton-launch: slirp4netns did not configure the step's network\n");
    kill(slirp, SIGKILL);
    waitpid(slirp, NULL, 0);
    close(done[1]);
    return -1;
  }
  *exit_write = done[1];
  return slirp;
}

static int launch_sandboxed(const struct sandbox *s, char **command) {
  int flags = (s->pid ? CLONE_NEWPID : 0) | (s->net && !s->slirp ? CLONE_NEWNET : 0)
      | (s->pid || s->readonly || s->hides || s->binds || s->tmp ? CLONE_NEWNS | CLONE_NEWIPC : 0);
  int relay_channel = -1;
  pid_t relay_pid = s->relay_port ? start_relay(s, &relay_channel) : -1;
  if (s->relay_port && relay_pid < 0) {
    return 127;
  }
  uid_t uid = geteuid();
  gid_t gid = getegid();
  if ((flags != 0 || s->slirp) && uid != 0) {
    if (unshare(CLONE_NEWUSER) != 0) {
      return fail("make a user namespace", NULL);
    }
    if (map_own_user(uid, gid) != 0) {
      return 127;
    }
  }
  if (flags != 0 && unshare(flags) != 0) {
    return fail("make the step's namespaces", NULL);
  }
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
    return fail("become a child subreaper", NULL);
  }
  int alive[2], report[2], netready[2], netgo[2];
  if (pipe2(alive, O_CLOEXEC) != 0 || pipe2(report, O_CLOEXEC) != 0 || pipe2(netready, O_CLOEXEC) != 0
      || pipe2(netgo, O_CLOEXEC) != 0) {
    return fail("make a pipe", NULL);
  }
  outlive_group_signals();
  pid_t child = fork();
  if (child < 0) {
    return fail("start", command[0]);
  }
  if (child == 0) {
    close(alive[1]);
    close(report[0]);
    close(netready[0]);
    close(netgo[1]);
    _exit(sandboxed(s, command, alive[0], report[1], netready[1], netgo[0], relay_channel));
  }
  if (relay_channel >= 0) {
    close(relay_channel);
  }
  close(alive[0]);
  close(report[1]);
  close(netready[1]);
  close(netgo[0]);
  pid_t slirp = -1;
  int slirp_exit = -1;
  if (s->slirp) {
    char byte = 1;
    ssize_t n;
    while ((n = read(netready[0], &byte, 1)) < 0 && errno == EINTR) {
    }
    if (n == 1 && (slirp = start_slirp(s, child, &slirp_exit)) > 0) {
      n = write(netgo[1], &byte, 1);
    }
    /* without slirp4netns, the child reads nothing and ends: its status (127) is the launch's */
  }
  close(netready[0]);
  close(netgo[1]);
  /*
   * Every child is reaped while the first one runs: slirp4netns lives in the pid namespace too, and its init waits,
   * as it ends, until every process of the namespace has been reaped by its parent.
   */
  int status;
  for (;;) {
    int reaped_status;
    pid_t reaped = waitpid(-1, &reaped_status, 0);
    if (reaped == child) {
      status = reaped_status;
      break;
    }
    if (reaped == slirp) {
      slirp = -1;
    } else if (reaped == relay_pid) {
      relay_pid = -1;
    } else if (reaped < 0 && errno != EINTR) {
      status = 127 << 8;
      break;
    }
  }
  if (slirp > 0) {
    close(slirp_exit);
    kill(slirp, SIGKILL);
    waitpid(slirp, NULL, 0);
  }
  if (relay_pid > 0) {
    kill(relay_pid, SIGKILL); /* the step is over: so is its way to the API */
    waitpid(relay_pid, NULL, 0);
  }
  if (s->pid) {
    int commandStatus;
    status = read(report[0], &commandStatus, sizeof commandStatus) == (ssize_t) sizeof commandStatus
        ? commandStatus : (WIFEXITED(status) && WEXITSTATUS(status) != 0 ? status : 127 << 8);
  }
  if (!s->pid) {
    kill_leftovers(); /* with a pid namespace, the kernel ended them with its init */
  }
  return end_as(status);
}

static int parse_user(const char *text, struct sandbox *s) {
  char *end;
  s->uid = strtol(text, &end, 10);
  if (end == text || *end != ':' || s->uid < 0) {
    return -1;
  }
  const char *group = end + 1;
  s->gid = strtol(group, &end, 10);
  return end == group || *end != '\0' || s->gid < 0 ? -1 : 0;
}

/* PORT:ADDRESS:PORT, ADDRESS an IPv4 address or a bracketed IPv6 one: numbers only, no name to resolve. */
static int parse_relay(const char *text, struct sandbox *s) {
  char host[64];
  char *end;
  long port = strtol(text, &end, 10);
  const char *last = strrchr(text, ':');
  if (end == text || *end != ':' || port < 1 || port > 65535 || last == end || (size_t) (last - end - 1) >= sizeof host) {
    return -1;
  }
  memcpy(host, end + 1, (size_t) (last - end - 1));
  host[last - end - 1] = '\0';
  long target = strtol(last + 1, &end, 10);
  if (end == last + 1 || *end != '\0' || target < 1 || target > 65535) {
    return -1;
  }
  size_t length = strlen(host);
  struct sockaddr_in *v4 = (struct sockaddr_in *) &s->relay_target;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *) &s->relay_target;
  memset(&s->relay_target, 0, sizeof s->relay_target);
  if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons((uint16_t) target);
    s->relay_target_length = sizeof *v4;
  } else if (length > 2 && host[0] == '[' && host[length - 1] == ']'
      && (host[length - 1] = '\0', inet_pton(AF_INET6, host + 1, &v6->sin6_addr) == 1)) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons((uint16_t) target);
    s->relay_target_length = sizeof *v6;
  } else {
    return -1;
  }
  s->relay_port = (int) port;
  return 0;
}

/* Reads the options; the index of SIGNAL, or -1 after saying what is wrong. */
static int parse_options(int argc, char **argv, struct sandbox *s) {
  int i = 1;
  for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
    const char *option = argv[i];
    if (strcmp(option, "--reap") == 0) {
      s->reap = 1;
      continue;
    } else if (strcmp(option, "--pid") == 0) {
      s->pid = 1;
      continue;
    } else if (strcmp(option, "--net") == 0) {
      s->net = 1;
      continue;
    } else if (strcmp(option, "--readonly") == 0) {
      s->readonly = 1;
      continue;
    } else if (strcmp(option, "--tmp") == 0) {
      s->tmp = 1;
      continue;
    }
    const char *value = i + 1 < argc ? argv[++i] : "";
    int path = *value == '/';
    if (strcmp(option, "--hide") == 0 && path && s->hides < MAX_PATHS) {
      s->hide[s->hides++] = value;
    } else if ((strcmp(option, "--bind") == 0 || strcmp(option, "--bind-ro") == 0) && path && s->binds < MAX_PATHS) {
      s->bind_readonly[s->binds] = strcmp(option, "--bind-ro") == 0;
      s->bind[s->binds++] = value;
    } else if (strcmp(option, "--chdir") == 0 && path) {
      s->chdir = value;
    } else if (strcmp(option, "--slirp") == 0 && path) {
      s->slirp = value;
    } else if (strcmp(option, "--relay") == 0 && parse_relay(value, s) == 0) {
      continue;
    } else if (strcmp(option, "--user") != 0 || parse_user(value, s) != 0) {
      fprintf(stderr, "baton-launch: bad option %s '%s'\n", option, value);
      return -1;
    }
  }
  return i;
}

int main(int argc, char **argv) {
  struct sandbox s;
  memset(&s, 0, sizeof s);
  s.uid = s.gid = -1;
  int at = parse_options(argc, argv, &s);
  if (at < 0) {
    return 127;
  }
  if (s.relay_port && !s.net) {
    fprintf(stderr, "baton-launch: --relay needs --net (without it, the step has the worker's network)\n");
    return 127;
  }
  if (argc - at < 3) {
    fprintf(stderr, "usage: baton-launch [OPTION...] SIGNAL PARENT COMMAND [ARGUMENT...]\n");
    return 127;
  }
  int signal = signal_number(argv[at]);
  if (signal < 0) {
    fprintf(stderr, "baton-launch: '%s' is not a signal\n", argv[at]);
    return 127;
  }
  char *end;
  long parent = strtol(argv[at + 1], &end, 10);
  if (*argv[at + 1] == '\0' || *end != '\0' || parent < 1) {
    fprintf(stderr, "baton-launch: '%s' is not a pid\n", argv[at + 1]);
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
  if (at == 1) {
    return exec_command(argv + at + 2);
  }
  return launch_sandboxed(&s, argv + at + 2);
}
