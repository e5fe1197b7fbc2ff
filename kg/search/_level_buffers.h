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
