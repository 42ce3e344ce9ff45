// A test-only LD_PRELOAD shim that keeps "what the disk would hold after a power cut" beside
// what the page cache holds, for the files under one folder (WANGGE_SHADOW_WATCH):
//   * fsync/fdatasync of a file copies the ranges written to it since its last sync into
//     $WANGGE_SHADOW_ROOT/ino-<inode> (the inode's synced content), and sets its size;
//   * fsync of a folder writes $WANGGE_SHADOW_ROOT/dir-<inode>: the names it holds now, one
//     "<inode>\t<d|f>\t<name>" a line (a new name survives a power cut only if its folder was
//     synced after it was made);
// A file or name never synced is absent after the cut. tests/crash/power_cut.cpp rebuilds the
// folder from these records after killing the server. Content is keyed by inode, so renames
// need no tracking. Not thread-hostile: one lock around every record.
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_FD 65536
#define MAX_INODES 1024
#define MAX_RANGES 4096

struct range {
  off_t at, len;
};
struct inode {
  ino_t ino;  // 0: free slot
  int open_fds;
  int nranges;
  struct range ranges[MAX_RANGES];
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static ino_t fd_inode[MAX_FD];  // 0: not watched
static char fd_is_dir[MAX_FD];
static struct inode* inodes[MAX_INODES];
static const char* watch;
static const char* root;

static int (*real_open)(const char*, int, ...);
static int (*real_open64)(const char*, int, ...);
static int (*real_openat)(int, const char*, int, ...);
static int (*real_openat64)(int, const char*, int, ...);
static int (*real_close)(int);
static ssize_t (*real_write)(int, const void*, size_t);
static ssize_t (*real_pwrite)(int, const void*, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void*, size_t, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

__attribute__((constructor)) static void init(void) {
  real_open = dlsym(RTLD_NEXT, "open");
  real_open64 = dlsym(RTLD_NEXT, "open64");
  real_openat = dlsym(RTLD_NEXT, "openat");
  real_openat64 = dlsym(RTLD_NEXT, "openat64");
  real_close = dlsym(RTLD_NEXT, "close");
  real_write = dlsym(RTLD_NEXT, "write");
  real_pwrite = dlsym(RTLD_NEXT, "pwrite");
  real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
  real_fsync = dlsym(RTLD_NEXT, "fsync");
  real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
  watch = getenv("WANGGE_SHADOW_WATCH");
  root = getenv("WANGGE_SHADOW_ROOT");
}

static struct inode* find_inode(ino_t ino, int create) {
  struct inode* free_slot = NULL;
  int free_at = -1;
  for (int i = 0; i < MAX_INODES; ++i) {
    if (inodes[i] && inodes[i]->ino == ino) return inodes[i];
    if (free_at < 0 && (!inodes[i] || inodes[i]->ino == 0)) free_at = i;
  }
  if (!create || free_at < 0) return NULL;
  if (!inodes[free_at]) inodes[free_at] = calloc(1, sizeof(struct inode));
  free_slot = inodes[free_at];
  if (!free_slot) return NULL;
  free_slot->ino = ino;
  free_slot->open_fds = 0;
  free_slot->nranges = 0;
  return free_slot;
}

static void add_range(struct inode* n, off_t at, off_t len) {
  if (len <= 0) return;
  if (n->nranges == MAX_RANGES) {  // collapse into one covering range
    off_t lo = n->ranges[0].at, hi = lo + n->ranges[0].len;
    for (int i = 1; i < n->nranges; ++i) {
      if (n->ranges[i].at < lo) lo = n->ranges[i].at;
      if (n->ranges[i].at + n->ranges[i].len > hi) hi = n->ranges[i].at + n->ranges[i].len;
    }
    n->ranges[0].at = lo;
    n->ranges[0].len = hi - lo;
    n->nranges = 1;
  }
  struct range* last = n->nranges ? &n->ranges[n->nranges - 1] : NULL;
  if (last && last->at + last->len == at) {
    last->len += len;
    return;
  }
  n->ranges[n->nranges].at = at;
  n->ranges[n->nranges].len = len;
  ++n->nranges;
}

static void shadow_path(char* out, size_t size, const char* kind, ino_t ino) {
  snprintf(out, size, "%s/%s-%llu", root, kind, (unsigned long long)ino);
}

// Called with mu held, after a successful open.
static void track(int fd) {
  if (!watch || !root || fd < 0 || fd >= MAX_FD) return;
  char link[64], path[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n <= 0) return;
  path[n] = 0;
  size_t w = strlen(watch);
  if (strncmp(path, watch, w) != 0 || (path[w] != '/' && path[w] != 0)) return;
  struct stat st;
  if (fstat(fd, &st) != 0) return;
  fd_inode[fd] = st.st_ino;
  fd_is_dir[fd] = S_ISDIR(st.st_mode);
  if (fd_is_dir[fd]) return;
  struct inode* node = find_inode(st.st_ino, 1);
  if (!node) return;
  ++node->open_fds;
  // An existing file that has no synced copy: everything in it is unsynced so far.
  char shadow[PATH_MAX];
  shadow_path(shadow, sizeof shadow, "ino", st.st_ino);
  if (st.st_size == 0) {
    unlink(shadow);  // a new file on a reused inode number: the old copy is not its own
  } else if (access(shadow, F_OK) != 0) {
    add_range(node, 0, st.st_size);
  }
}

static int opened(int fd) {
  if (fd >= 0) {
    pthread_mutex_lock(&mu);
    track(fd);
    pthread_mutex_unlock(&mu);
  }
  return fd;
}

#define MODE_ARG(flags)                                      \
  mode_t mode = 0;                                           \
  if ((flags)&O_CREAT || ((flags)&O_TMPFILE) == O_TMPFILE) { \
    va_list ap;                                              \
    va_start(ap, flags);                                     \
    mode = va_arg(ap, mode_t);                               \
    va_end(ap);                                              \
  }

int open(const char* path, int flags, ...) {
  MODE_ARG(flags);
  return opened(real_open(path, flags, mode));
}
int open64(const char* path, int flags, ...) {
  MODE_ARG(flags);
  return opened(real_open64(path, flags, mode));
}
int openat(int dir, const char* path, int flags, ...) {
  MODE_ARG(flags);
  return opened(real_openat(dir, path, flags, mode));
}
int openat64(int dir, const char* path, int flags, ...) {
  MODE_ARG(flags);
  return opened(real_openat64(dir, path, flags, mode));
}

int close(int fd) {
  if (fd >= 0 && fd < MAX_FD) {
    pthread_mutex_lock(&mu);
    if (fd_inode[fd] && !fd_is_dir[fd]) {
      struct inode* node = find_inode(fd_inode[fd], 0);
      // Forget a closed inode with nothing left to sync (its data is in its shadow or lost).
      if (node && --node->open_fds <= 0 && node->nranges == 0) node->ino = 0;
    }
    fd_inode[fd] = 0;
    fd_is_dir[fd] = 0;
    pthread_mutex_unlock(&mu);
  }
  return real_close(fd);
}

static void wrote(int fd, off_t at, ssize_t n) {
  if (n <= 0 || fd < 0 || fd >= MAX_FD || !fd_inode[fd]) return;
  pthread_mutex_lock(&mu);
  struct inode* node = find_inode(fd_inode[fd], 1);
  if (node) add_range(node, at, n);
  pthread_mutex_unlock(&mu);
}

ssize_t write(int fd, const void* buf, size_t count) {
  off_t at = (fd >= 0 && fd < MAX_FD && fd_inode[fd]) ? lseek(fd, 0, SEEK_CUR) : 0;
  ssize_t n = real_write(fd, buf, count);
  wrote(fd, at, n);
  return n;
}
ssize_t pwrite(int fd, const void* buf, size_t count, off_t at) {
  ssize_t n = real_pwrite(fd, buf, count, at);
  wrote(fd, at, n);
  return n;
}
ssize_t pwrite64(int fd, const void* buf, size_t count, off_t at) {
  ssize_t n = real_pwrite64(fd, buf, count, at);
  wrote(fd, at, n);
  return n;
}

static void write_all(int fd, const char* p, size_t n, off_t at) {
  while (n > 0) {
    ssize_t k = real_pwrite(fd, p, n, at);
    if (k <= 0) return;
    p += k;
    n -= (size_t)k;
    at += k;
  }
}

// The names in the folder now, with their inodes, replacing the last record atomically.
static void record_dir(int fd) {
  char link[64], tmp[PATH_MAX + 8], final_path[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  DIR* d = opendir(link);
  if (!d) return;
  shadow_path(final_path, sizeof final_path, "dir", fd_inode[fd]);
  snprintf(tmp, sizeof tmp, "%s.tmp", final_path);
  FILE* out = fopen(tmp, "w");
  if (out) {
    struct dirent* e;
    while ((e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      fprintf(out, "%llu\t%c\t%s\n", (unsigned long long)e->d_ino, e->d_type == DT_DIR ? 'd' : 'f',
              e->d_name);
    }
    fclose(out);
    rename(tmp, final_path);
  }
  closedir(d);
}

// Copies the unsynced ranges of the file into its shadow and gives the shadow its size.
static void record_file(int fd) {
  struct inode* node = find_inode(fd_inode[fd], 0);
  struct stat st;
  if (fstat(fd, &st) != 0) return;
  char link[64], shadow[PATH_MAX];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  shadow_path(shadow, sizeof shadow, "ino", fd_inode[fd]);
  int in = real_open(link, O_RDONLY | O_CLOEXEC);
  int out = real_open(shadow, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (in >= 0 && out >= 0 && node) {
    static char buf[1 << 16];
    for (int i = 0; i < node->nranges; ++i) {
      off_t at = node->ranges[i].at, end = at + node->ranges[i].len;
      if (end > st.st_size) end = st.st_size;
      while (at < end) {
        size_t want = (size_t)(end - at) < sizeof buf ? (size_t)(end - at) : sizeof buf;
        ssize_t k = pread(in, buf, want, at);
        if (k <= 0) break;
        write_all(out, buf, (size_t)k, at);
        at += k;
      }
    }
    node->nranges = 0;
  }
  if (out >= 0) {
    if (ftruncate(out, st.st_size) != 0) { /* the shadow keeps its old size */
    }
    real_close(out);
  }
  if (in >= 0) real_close(in);
}

static void synced(int fd) {
  if (fd < 0 || fd >= MAX_FD || !fd_inode[fd]) return;
  pthread_mutex_lock(&mu);
  if (fd_is_dir[fd]) {
    record_dir(fd);
  } else {
    record_file(fd);
  }
  pthread_mutex_unlock(&mu);
}

int fsync(int fd) {
  int r = real_fsync(fd);
  if (r == 0) synced(fd);
  return r;
}
int fdatasync(int fd) {
  int r = real_fdatasync(fd);
  if (r == 0) synced(fd);
  return r;
}
