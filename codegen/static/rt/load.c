// ---- loading the Go part -------------------------------------------------

// The Go part's file, kept open from the first load: a forked child copies
// it from this descriptor, even if the file was replaced since.
static int go_fd = -1;
static char go_path[4096];

#ifdef __linux__
// private_copy makes an anonymous in-memory copy of the Go part (a memfd,
// else an unlinked temporary file) and returns a path the loader can open
// while fd stays open. The loader keys libraries by file identity, so the
// copy loads afresh instead of returning the parent's dead runtime.
static int private_copy(char* path, size_t size) {
	int fd = -1;
#ifdef SYS_memfd_create
	fd = (int)syscall(SYS_memfd_create, "pyspec-go", 1u /* MFD_CLOEXEC */);
#endif
	int tmp = 0;
	if (fd < 0) {
		const char* dir = getenv("TMPDIR");
		PyOS_snprintf(path, size, "%s/pyspec-go-XXXXXX", dir && *dir ? dir : "/tmp");
		fd = mkstemp(path);
		if (fd < 0) return -1;
		tmp = 1;
	}
	off_t off = 0;
	for (;;) {
		ssize_t n = sendfile(fd, go_fd, &off, 1 << 30);
		if (n == 0) break;
		if (n < 0) {
			if (errno == EINTR) continue;
			// sendfile may not support this pair: copy by hand.
			char buf[1 << 16];
			for (;;) {
				ssize_t r = pread(go_fd, buf, sizeof buf, off);
				if (r == 0) break;
				if (r < 0) {
					if (errno == EINTR) continue;
					goto fail;
				}
				for (ssize_t w = 0; w < r;) {
					ssize_t k = write(fd, buf + w, r - w);
					if (k < 0) {
						if (errno == EINTR) continue;
						goto fail;
					}
					w += k;
				}
				off += r;
			}
			break;
		}
	}
	// The loader takes a library already loaded under the same name for this
	// one: a forked parent's copy may have been loaded as /proc/self/fd/N
	// with the same N, so the name carries the process id too.
	if (!tmp) PyOS_snprintf(path, size, "/proc/%d/fd/%d", (int)getpid(), fd);
	return fd;
fail:
	if (tmp) unlink(path);
	close(fd);
	return -1;
}
#endif

int pyspec_go_load(const char* name, const void* anchor, const pyspec_host* host, void* api, uint64_t abi_hash) {
	own_module = name;
	void* handle = NULL;
	if (go_fd < 0) {
		Dl_info info;
		if (!dladdr(anchor, &info) || info.dli_fname == NULL) {
			PyErr_Format(PyExc_ImportError, "module %s: cannot tell which file it was loaded from, so its Go part cannot be found", name);
			return -1;
		}
		const char* slash = strrchr(info.dli_fname, '/');
		int dirlen = slash ? (int)(slash - info.dli_fname) : 1;
		PyOS_snprintf(go_path, sizeof go_path, "%.*s/%s.go.so", dirlen, slash ? info.dli_fname : ".", name);
		go_fd = open(go_path, O_RDONLY | O_CLOEXEC);
		if (go_fd < 0) {
			PyErr_Format(PyExc_ImportError, "module %s: its Go part %s cannot be opened (%s); it is built beside the extension by pyspec compile",
				name, go_path, strerror(errno));
			return -1;
		}
		handle = dlopen(go_path, RTLD_NOW | RTLD_LOCAL);
	} else {
#ifdef __linux__
		char path[4096];
		int fd = private_copy(path, sizeof path);
		if (fd < 0) {
			PyErr_Format(PyExc_ImportError, "module %s: cannot copy its Go part %s for this forked process (%s)", name, go_path, strerror(errno));
			return -1;
		}
		handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		// The descriptor stays open for as long as the copy is loaded (for
		// good: nothing unloads it). Closed, its number could name another
		// module's copy next, and the loader would hand back this one for it.
		if (strncmp(path, "/proc/", 6) != 0) {
			unlink(path);
			close(fd);
		}
#else
		PyErr_Format(PyExc_RuntimeError, "module %s: its Go runtime does not survive fork() on this platform; "
			"use the 'spawn' or 'forkserver' start method", name);
		return -1;
#endif
	}
	if (handle == NULL) {
		const char* why = dlerror();
		PyErr_Format(PyExc_ImportError, "module %s: cannot load its Go part %s: %s", name, go_path, why ? why : "unknown error");
		return -1;
	}
	char sym[256];
	PyOS_snprintf(sym, sizeof sym, "pyspec_go_%s", name);
	pyspec_go_entry entry = (pyspec_go_entry)dlsym(handle, sym);
	if (entry == NULL) {
		PyErr_Format(PyExc_ImportError, "module %s: %s is not its Go part (no %s)", name, go_path, sym);
		return -1;
	}
	// Each Go part gets a host record of its own, stamped with its own
	// generation: a forked child that loads its copy while the parent's Go
	// part is still on the stack (a fork inside a callback) leaves the
	// parent's part stamping the parent's generation, which the child treats
	// as stale. One record a load, kept for good like the library.
	pyspec_host* own = malloc(sizeof *own);
	if (own == NULL) {
		PyErr_NoMemory();
		return -1;
	}
	*own = *host;
	own->gen = pyspec_gen;
	if (entry(own, api, abi_hash) != 0) {
		PyErr_Format(PyExc_ImportError, "module %s: its Go part %s was built from another spec or pyspec version; rebuild the module", name, go_path);
		return -1;
	}
	return 0;
}

static void (*fork_reset)(void);

static void child_after_fork(void) {
	pyspec_gen++;
	async_after_fork();
	objects_after_fork();
	if (fork_reset) fork_reset();
}

void pyspec_at_fork(void (*reset)(void)) {
	if (fork_reset == NULL) {
		fork_reset = reset;
		pthread_atfork(NULL, NULL, child_after_fork);
	}
}

