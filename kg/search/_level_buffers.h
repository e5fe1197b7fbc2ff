/* kg/search/_level.c's buffers: the arrays a call takes from Python (checked, released together), the lists of
 * walks it writes into the caller's arrays, and the two halves a large pass is read in. Included by
 * kg/search/_level.c only, after pthread.h. */
#ifndef KG_LEVEL_BUFFERS_H
#define KG_LEVEL_BUFFERS_H

#define MAX_BUFFERS 64

/* The buffers a call took, released together. */
typedef struct {
    Py_buffer views[MAX_BUFFERS];
    int n;
} Buffers;

static void release(Buffers *b) {
    for (int i = 0; i < b->n; i++) {
        PyBuffer_Release(&b->views[i]);
    }
    b->n = 0;
}

/* The buffer of `obj` (writable when asked), checked to be an array of `itemsize`-byte items. */
static void *take(Buffers *b, PyObject *obj, Py_ssize_t itemsize, int writable, Py_ssize_t *len, const char *what) {
    if (b->n == MAX_BUFFERS) {
        PyErr_SetString(PyExc_RuntimeError, "kg.search._level: too many buffers");
        return NULL;
    }
    Py_buffer *view = &b->views[b->n];
    if (PyObject_GetBuffer(obj, view, writable ? PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS : PyBUF_C_CONTIGUOUS) < 0) {
        return NULL;
    }
    b->n++;
    if (view->itemsize != itemsize) {
        PyErr_Format(PyExc_TypeError, "kg.search._level: %s is not an array of %zd-byte items", what, itemsize);
        return NULL;
    }
    if (len != NULL) {
        *len = view->len / itemsize;
    }
    return view->buf;
}

typedef struct {
    int64_t *owner, *code, *np, *acc;
    Py_ssize_t cap, count;
} Out;

static inline void emit(Out *o, int64_t owner, int64_t code, int64_t np, int64_t acc) {
    if (o->count < o->cap) {
        o->owner[o->count] = owner;
        o->code[o->count] = code;
        o->np[o->count] = np;
        o->acc[o->count] = acc;
    }
    o->count++;
}

static int outs_of(Buffers *b, PyObject *arrays, Out *o) {
    PyObject *a[4];
    Py_ssize_t caps[4];
    if (!PyArg_ParseTuple(arrays, "OOOO", &a[0], &a[1], &a[2], &a[3])) {
        return -1;
    }
    if ((o->owner = take(b, a[0], 8, 1, &caps[0], "owner")) == NULL ||
        (o->code = take(b, a[1], 8, 1, &caps[1], "code")) == NULL || (o->np = take(b, a[2], 8, 1, &caps[2], "np")) == NULL ||
        (o->acc = take(b, a[3], 8, 1, &caps[3], "acc")) == NULL) {
        return -1;
    }
    o->count = 0;
    o->cap = caps[0];
    for (int k = 1; k < 4; k++) {
        o->cap = caps[k] < o->cap ? caps[k] : o->cap;
    }
    return 0;
}

/* A level's walks as extend leaves them (kg.search.expand.Candidates): up to four runs in two buffers, in walk order
 * (the walks over hops about anyone made by each half of the level, then the others), none moved or copied. Run k
 * holds n[k] walks, from walk start[k] of the level on. */
typedef struct {
    const int64_t *owner[4], *code[4], *np[4], *acc[4];
    Py_ssize_t start[4], n[4], total;
} Runs;

/* `walks` (arrays, more, runs): arrays and more each (owner, code, np, acc); runs eight int64, (first, count) per
 * run, runs 0 and 1 in arrays, 2 and 3 in more. 0, or -1 with an exception set. */
static int runs_of(Buffers *b, PyObject *walks, Runs *r) {
    PyObject *bufs[2], *runs_o, *cols[2][4];
    if (!PyArg_ParseTuple(walks, "OOO", &bufs[0], &bufs[1], &runs_o) ||
        !PyArg_ParseTuple(bufs[0], "OOOO", &cols[0][0], &cols[0][1], &cols[0][2], &cols[0][3]) ||
        !PyArg_ParseTuple(bufs[1], "OOOO", &cols[1][0], &cols[1][1], &cols[1][2], &cols[1][3])) {
        return -1;
    }
    static const char *names[4] = {"owner", "code", "np", "acc"};
    const int64_t *col[2][4], *runs;
    Py_ssize_t len[2][4], n_runs;
    for (int buf = 0; buf < 2; buf++) {
        for (int c = 0; c < 4; c++) {
            if ((col[buf][c] = take(b, cols[buf][c], 8, 0, &len[buf][c], names[c])) == NULL) {
                return -1;
            }
        }
    }
    if ((runs = take(b, runs_o, 8, 0, &n_runs, "runs")) == NULL) {
        return -1;
    }
    int bad = n_runs != 8;
    r->total = 0;
    for (int k = 0; k < 4 && !bad; k++) {
        int buf = k / 2;
        int64_t first = runs[2 * k], count = runs[2 * k + 1];
        for (int c = 0; c < 4 && !bad; c++) {
            bad = first < 0 || count < 0 || first > len[buf][c] || count > len[buf][c] - first;
        }
        if (!bad) {
            r->owner[k] = col[buf][0] + first, r->code[k] = col[buf][1] + first;
            r->np[k] = col[buf][2] + first, r->acc[k] = col[buf][3] + first;
            r->start[k] = r->total, r->n[k] = count;
            r->total += count;
        }
    }
    if (bad) {
        PyErr_SetString(PyExc_ValueError, "kg.search._level: runs of walks beyond their buffers");
        return -1;
    }
    return 0;
}

/* The walks of run k that fall in [lo, hi) of the level: the run's own positions *from up to *to. */
static inline void run_span(const Runs *r, int k, Py_ssize_t lo, Py_ssize_t hi, Py_ssize_t *from, Py_ssize_t *to) {
    *from = lo > r->start[k] ? lo - r->start[k] : 0;
    *to = hi < r->start[k] + r->n[k] ? hi - r->start[k] : r->n[k];
}

/* `part` run on `first`, and on `second` too when `both`: the second on a thread of its own, else (no thread to be
 * had) after the first. Each reads its own half of a pass's input and writes only what is its own. */
static void in_halves(void *(*part)(void *), void *first, void *second, int both) {
    pthread_t thread;
    int started = both && pthread_create(&thread, NULL, part, second) == 0;
    part(first);
    if (started) {
        pthread_join(thread, NULL);
    } else if (both) {
        part(second);
    }
}

#endif
