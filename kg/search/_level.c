/* One breadth-first level of the reach search, compiled: the loops of kg/search/expand.py that NumPy made
 * several passes over (gather a level's hops, filter them, pick one candidate per state, mark seen, choose the
 * next frontier) as one pass each.
 *
 * Every array comes from Python through the buffer protocol, in the exact type kg/search/expand.py gives it
 * (int64 unless said otherwise), and every function does what the NumPy code it replaced did, in the same
 * order: the candidates come out in the order the NumPy passes made them, so the breadth-first tree, and every
 * answer, is the same. Nothing here allocates: outputs are buffers of the caller's, and a function that would
 * write past one returns how much it needs instead (the caller grows it and calls again).
 *
 * A state is (2*node + parity) << shift | person ("np" is 2*node + parity, "acc" the person, an accumulation of
 * kg.search.persons.Persons). Seen holds, per np, the persons seen there: packed, the bits of one word (of 1,
 * 2, 4 or 8 bytes) per np; else one person per np ("head": -1 none, -2 several, else that person) and, for an
 * np with several, a row of 64-bit words.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#define NONE (-1)
#define SEVERAL (-2)
#define MAX_BUFFERS 32
#define ALTS 64 /* kg.search.persons.ALTS: a step is hop * ALTS + person alternative */

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

static inline uint64_t word_at(const void *p, int size, int64_t i) {
    switch (size) {
    case 1:
        return ((const uint8_t *)p)[i];
    case 2:
        return ((const uint16_t *)p)[i];
    case 4:
        return ((const uint32_t *)p)[i];
    default:
        return ((const uint64_t *)p)[i];
    }
}

static inline int64_t head_at(const void *p, int size, int64_t i) {
    return size == 2 ? (int64_t)((const int16_t *)p)[i] : (int64_t)((const int32_t *)p)[i];
}

static inline void set_head(void *p, int size, int64_t i, int64_t v) {
    if (size == 2) {
        ((int16_t *)p)[i] = (int16_t)v;
    } else {
        ((int32_t *)p)[i] = (int32_t)v;
    }
}

/* Seen, as kg.search.expand.Seen hands it over: (packed, word size, words, head size, head, row_of, rows,
 * n_words, width), and for one question (`which`: 1 "self or broader", 0 "broader only") its per-person masks
 * and the flat table over pairs of persons. */
typedef struct {
    int packed, wsize, hsize;
    void *words; /* packed: per np */
    void *head;  /* else: per np */
    int32_t *row_of;
    uint64_t *rows;
    Py_ssize_t n_rows_cap, n_words;
    int64_t width;
    const void *mask;     /* packed: per acc, a word; else per acc, n_words words */
    const uint8_t *pairs; /* else: acc * width + other acc */
    const uint8_t *bit;   /* mark: per acc its bit (packed: a word; else a uint64 in its word) */
} SeenView;

static int seen_of(Buffers *b, PyObject *seen, PyObject *mask, PyObject *pairs, PyObject *bit, SeenView *s) {
    PyObject *words, *head, *row_of, *rows;
    if (!PyArg_ParseTuple(seen, "iiOiOOOnL", &s->packed, &s->wsize, &words, &s->hsize, &head, &row_of, &rows,
                          &s->n_words, &s->width)) {
        return -1;
    }
    if (!(s->wsize == 1 || s->wsize == 2 || s->wsize == 4 || s->wsize == 8) || !(s->hsize == 2 || s->hsize == 4)) {
        PyErr_SetString(PyExc_ValueError, "kg.search._level: word or head size not 1, 2, 4 or 8 bytes");
        return -1;
    }
    Py_ssize_t n;
    if ((s->words = take(b, words, s->wsize, 1, NULL, "words")) == NULL ||
        (s->head = take(b, head, s->hsize, 1, NULL, "head")) == NULL ||
        (s->row_of = take(b, row_of, 4, 1, NULL, "row_of")) == NULL ||
        (s->rows = take(b, rows, 8, 1, &n, "rows")) == NULL) {
        return -1;
    }
    s->n_rows_cap = s->n_words > 0 ? n / s->n_words : 0;
    s->mask = mask == Py_None ? NULL : take(b, mask, s->packed ? s->wsize : 8, 0, NULL, "mask");
    s->pairs = pairs == Py_None ? NULL : take(b, pairs, 1, 0, NULL, "pairs");
    s->bit = bit == Py_None ? NULL : take(b, bit, s->packed ? s->wsize : 8, 0, NULL, "bit");
    if ((mask != Py_None && s->mask == NULL) || (pairs != Py_None && s->pairs == NULL) ||
        (bit != Py_None && s->bit == NULL)) {
        return -1;
    }
    return 0;
}

/* Whether no person of `mask` (for `acc`) has been seen at `np`: kg.search.expand.Seen._none. */
static inline int none_seen(const SeenView *s, int64_t np, int64_t acc) {
    if (s->packed) {
        return (word_at(s->words, s->wsize, np) & word_at(s->mask, s->wsize, acc)) == 0;
    }
    int64_t h = head_at(s->head, s->hsize, np);
    if (h == NONE) {
        return 1;
    }
    if (h >= 0) {
        return !s->pairs[acc * s->width + h];
    }
    const uint64_t *row = s->rows + (int64_t)s->row_of[np] * s->n_words;
    const uint64_t *m = (const uint64_t *)s->mask + acc * s->n_words;
    for (Py_ssize_t w = 0; w < s->n_words; w++) {
        if (row[w] & m[w]) {
            return 0;
        }
    }
    return 1;
}

/* One set of edges of kg.search.expand.Walk: (ptr, entries, n); entry e + parity * n is a row of three: the
 * (node, parity) it leads to, its step code, its person signature. */
typedef struct {
    const int64_t *ptr;
    const int32_t *entries;
    int64_t n;
} EdgeView;

static int edges_of(Buffers *b, PyObject *edges, EdgeView *e) {
    PyObject *ptr, *entries;
    if (!PyArg_ParseTuple(edges, "OOL", &ptr, &entries, &e->n)) {
        return -1;
    }
    Py_ssize_t n;
    if ((e->ptr = take(b, ptr, 8, 0, NULL, "ptr")) == NULL || (e->entries = take(b, entries, 4, 0, &n, "entries")) == NULL) {
        return -1;
    }
    if (n % 3 != 0) {
        PyErr_SetString(PyExc_TypeError, "kg.search._level: entries is not an array of rows of three");
        return -1;
    }
    return 0;
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

/* The person alternatives of a hop: per (person so far, hop signature), at acc * n_sig + sig (a search's states
 * have few persons, so the rows it reads stay in cache), a word count | value << 7: with one alternative, value is
 * the person after the hop; with several, where their persons start in `to`. */
typedef struct {
    const int64_t *table, *to;
    int64_t n_sig;
} PersonsView;

/* The walks over one run of entries (those of node `x` taken from `parity`) of state `i`. */
static inline void walks_from(Out *o, const EdgeView *e, int personal, int64_t x, int64_t parity, int64_t i,
                              int64_t acc, const uint8_t *open0, const uint8_t *cut, const int64_t *real_of,
                              const SeenView *s, const PersonsView *p) {
    const int32_t *entry = e->entries + 3 * (e->ptr[x] + parity * e->n);
    const int32_t *end = e->entries + 3 * (e->ptr[x + 1] + parity * e->n);
    for (; entry < end; entry += 3) {
        int64_t nxt = entry[0];
        if (!open0[nxt]) {
            continue;
        }
        if (cut != NULL && cut[real_of[nxt >> 1]]) {
            continue;
        }
        if (!personal) {
            if (none_seen(s, nxt, acc)) {
                emit(o, i, (int64_t)entry[1] * ALTS, nxt, acc);
            }
            continue;
        }
        int64_t word = p->table[acc * p->n_sig + entry[2]], n = word & 127;
        if (n == 1) {
            if (none_seen(s, nxt, word >> 7)) {
                emit(o, i, (int64_t)entry[1] * ALTS, nxt, word >> 7);
            }
            continue;
        }
        for (int64_t k = 0; k < n; k++) {
            int64_t to = p->to[(word >> 7) + k];
            if (none_seen(s, nxt, to)) {
                emit(o, i, (int64_t)entry[1] * ALTS + k, nxt, to);
            }
        }
    }
}

/* A state's entries sit at a random place in memory, and the seen flags of their targets at others: reading
 * them a few states ahead lets the memory fetch several at once (each state's walks wait on them in turn). */
#define AHEAD_PTR 24
#define AHEAD_ENTRIES 12
#define AHEAD_TARGETS 4

static inline void prefetch_ahead(const EdgeView *e, const int64_t *states, Py_ssize_t n, Py_ssize_t i, int shift,
                                  const uint8_t *open0, const SeenView *s) {
    if (i + AHEAD_PTR < n) {
        __builtin_prefetch(e->ptr + (states[i + AHEAD_PTR] >> shift >> 1));
    }
    if (i + AHEAD_ENTRIES < n) {
        int64_t np = states[i + AHEAD_ENTRIES] >> shift;
        const int32_t *entry = e->entries + 3 * (e->ptr[np >> 1] + (np & 1) * e->n);
        __builtin_prefetch(entry);
        __builtin_prefetch(entry + 16);
    }
    if (i + AHEAD_TARGETS < n) {
        int64_t np = states[i + AHEAD_TARGETS] >> shift;
        const int32_t *entry = e->entries + 3 * (e->ptr[np >> 1] + (np & 1) * e->n);
        const int32_t *end = e->entries + 3 * (e->ptr[(np >> 1) + 1] + (np & 1) * e->n);
        for (; entry < end; entry += 3) {
            __builtin_prefetch(open0 + entry[0]);
            if (!s->packed) {
                __builtin_prefetch((const char *)s->head + entry[0] * s->hsize);
            } else {
                __builtin_prefetch((const char *)s->words + entry[0] * s->wsize);
            }
        }
    }
}

static PyObject *extend(PyObject *self, PyObject *args) {
    PyObject *out, *states_o, *plain, *personal, *real_of_o, *open0_o, *cut_o, *seen, *mask, *pairs, *persons;
    int shift, reverse;
    long long n_real;
    if (!PyArg_ParseTuple(args, "OOiOOOpLOOOOOO", &out, &states_o, &shift, &plain, &personal, &real_of_o, &reverse,
                          &n_real, &open0_o, &cut_o, &seen, &mask, &pairs, &persons)) {
        return NULL;
    }
    Buffers b = {.n = 0};
    Out o = {.count = 0};
    EdgeView edges[2];
    SeenView s;
    PersonsView p;
    PyObject *o_owner, *o_code, *o_np, *o_acc, *alt_table, *alt_to;
    Py_ssize_t n_states, caps[4];
    const int64_t *states, *real_of;
    const uint8_t *open0, *cut = NULL;
    if (!PyArg_ParseTuple(out, "OOOO", &o_owner, &o_code, &o_np, &o_acc) ||
        !PyArg_ParseTuple(persons, "OOL", &alt_table, &alt_to, &p.n_sig)) {
        return NULL;
    }
    if ((o.owner = take(&b, o_owner, 8, 1, &caps[0], "owner")) == NULL ||
        (o.code = take(&b, o_code, 8, 1, &caps[1], "code")) == NULL ||
        (o.np = take(&b, o_np, 8, 1, &caps[2], "np")) == NULL || (o.acc = take(&b, o_acc, 8, 1, &caps[3], "acc")) == NULL ||
        (states = take(&b, states_o, 8, 0, &n_states, "states")) == NULL ||
        (real_of = take(&b, real_of_o, 8, 0, NULL, "real_of")) == NULL ||
        (open0 = take(&b, open0_o, 1, 0, NULL, "open0")) == NULL ||
        (cut_o != Py_None && (cut = take(&b, cut_o, 1, 0, NULL, "cut")) == NULL) ||
        (p.table = take(&b, alt_table, 8, 0, NULL, "alternatives")) == NULL ||
        (p.to = take(&b, alt_to, 8, 0, NULL, "alternatives' persons")) == NULL || edges_of(&b, plain, &edges[0]) < 0 ||
        edges_of(&b, personal, &edges[1]) < 0 || seen_of(&b, seen, mask, pairs, Py_None, &s) < 0) {
        release(&b);
        return NULL;
    }
    o.cap = caps[0];
    for (int k = 1; k < 4; k++) {
        o.cap = caps[k] < o.cap ? caps[k] : o.cap;
    }
    int64_t acc_mask = ((int64_t)1 << shift) - 1;
    for (int personal_ = 0; personal_ < 2; personal_++) {
        const EdgeView *e = &edges[personal_];
        for (Py_ssize_t i = 0; i < n_states; i++) {
            prefetch_ahead(e, states, n_states, i, shift, open0, &s);
            int64_t np = states[i] >> shift;
            walks_from(&o, e, personal_, np >> 1, np & 1, i, states[i] & acc_mask, open0, cut, real_of, &s, &p);
        }
        if (reverse) { /* backward, an enzyme in transit also walks back through the hops into the enzyme */
            for (Py_ssize_t i = 0; i < n_states; i++) {
                int64_t np = states[i] >> shift;
                if ((np >> 1) >= n_real) {
                    walks_from(&o, e, personal_, real_of[np >> 1], np & 1, i, states[i] & acc_mask, open0, cut,
                               real_of, &s, &p);
                }
            }
        }
    }
    release(&b);
    return PyLong_FromSsize_t(o.count <= o.cap ? o.count : -o.count);
}

static PyObject *first_per_state(PyObject *self, PyObject *args) {
    PyObject *out_o, *np_o, *acc_o, *ok_o, *head_o, *chain_o;
    if (!PyArg_ParseTuple(args, "OOOOOO", &out_o, &np_o, &acc_o, &ok_o, &head_o, &chain_o)) {
        return NULL;
    }
    Buffers b = {.n = 0};
    Py_ssize_t n, n_out, n_acc, n_chain, n_ok = 0;
    int64_t *out;
    const int64_t *np, *acc;
    const uint8_t *ok = NULL;
    int32_t *head, *chain;
    if ((out = take(&b, out_o, 8, 1, &n_out, "out")) == NULL || (np = take(&b, np_o, 8, 0, &n, "np")) == NULL ||
        (acc = take(&b, acc_o, 8, 0, &n_acc, "acc")) == NULL ||
        (ok_o != Py_None && (ok = take(&b, ok_o, 1, 0, &n_ok, "ok")) == NULL) ||
        (head = take(&b, head_o, 4, 1, NULL, "head")) == NULL || (chain = take(&b, chain_o, 4, 1, &n_chain, "chain")) == NULL) {
        release(&b);
        return NULL;
    }
    if (n_out < n || n_acc != n || n_chain < n || (ok != NULL && n_ok != n)) {
        release(&b);
        PyErr_SetString(PyExc_ValueError, "kg.search._level.first_per_state: arrays of different lengths");
        return NULL;
    }
    Py_ssize_t count = 0;
    for (int pass = ok == NULL ? 1 : 0; pass < 2; pass++) { /* with ok: the simple walks first, then the others */
        for (Py_ssize_t i = 0; i < n; i++) {
            if (ok != NULL && (ok[i] != 0) != (pass == 0)) {
                continue;
            }
            int32_t j = head[np[i]]; /* position + 1 of the np's last chosen candidate; 0: none */
            while (j > 0 && acc[j - 1] != acc[i]) {
                j = chain[j - 1];
            }
            if (j == 0) { /* the first candidate of its state */
                out[count++] = i;
                chain[i] = head[np[i]];
                head[np[i]] = (int32_t)(i + 1);
            }
        }
    }
    for (Py_ssize_t k = 0; k < count; k++) { /* the scratch back to all 0 */
        head[np[out[k]]] = 0;
    }
    release(&b);
    return PyLong_FromSsize_t(count);
}

static PyObject *mark(PyObject *self, PyObject *args) {
    PyObject *states_o, *seen, *bit;
    int shift;
    Py_ssize_t n_rows;
    if (!PyArg_ParseTuple(args, "OiOOn", &states_o, &shift, &seen, &bit, &n_rows)) {
        return NULL;
    }
    Buffers b = {.n = 0};
    SeenView s;
    Py_ssize_t n;
    const int64_t *states;
    if ((states = take(&b, states_o, 8, 0, &n, "states")) == NULL || seen_of(&b, seen, Py_None, Py_None, bit, &s) < 0) {
        release(&b);
        return NULL;
    }
    int64_t acc_mask = ((int64_t)1 << shift) - 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        int64_t np = states[i] >> shift, acc = states[i] & acc_mask;
        if (s.packed) {
            uint64_t w = word_at(s.words, s.wsize, np) | word_at(s.bit, s.wsize, acc);
            switch (s.wsize) {
            case 1:
                ((uint8_t *)s.words)[np] = (uint8_t)w;
                break;
            case 2:
                ((uint16_t *)s.words)[np] = (uint16_t)w;
                break;
            case 4:
                ((uint32_t *)s.words)[np] = (uint32_t)w;
                break;
            default:
                ((uint64_t *)s.words)[np] = w;
            }
            continue;
        }
        int64_t h = head_at(s.head, s.hsize, np);
        if (h == NONE) {
            set_head(s.head, s.hsize, np, acc);
            continue;
        }
        if (h == acc) {
            continue;
        }
        if (h >= 0) { /* a second person: the pair gets a row, and the one seen so far moves into it */
            if (n_rows == s.n_rows_cap) { /* out of rows: what is done stays done (marking twice changes nothing) */
                release(&b);
                return PyLong_FromSsize_t(-n_rows - 1);
            }
            s.row_of[np] = (int32_t)n_rows;
            uint64_t *row = s.rows + n_rows * s.n_words;
            row[h >> 6] |= ((const uint64_t *)s.bit)[h];
            n_rows++;
            set_head(s.head, s.hsize, np, SEVERAL);
        }
        s.rows[(int64_t)s.row_of[np] * s.n_words + (acc >> 6)] |= ((const uint64_t *)s.bit)[acc];
    }
    release(&b);
    return PyLong_FromSsize_t(n_rows);
}

static PyObject *next_frontier(PyObject *self, PyObject *args) {
    PyObject *out_o, *states_o, *moves_o, *count_o, *seen, *mask, *pairs, *narrower_o;
    int shift;
    if (!PyArg_ParseTuple(args, "OOiOOOOOO", &out_o, &states_o, &shift, &moves_o, &count_o, &seen, &mask, &pairs,
                          &narrower_o)) {
        return NULL;
    }
    Buffers b = {.n = 0};
    SeenView s;
    Py_ssize_t n, n_out;
    int64_t *out;
    const int64_t *states;
    const uint8_t *moves, *narrower;
    int32_t *count;
    if ((out = take(&b, out_o, 8, 1, &n_out, "out")) == NULL || (states = take(&b, states_o, 8, 0, &n, "states")) == NULL ||
        (moves = take(&b, moves_o, 1, 0, NULL, "moves")) == NULL ||
        (count = take(&b, count_o, 4, 1, NULL, "count")) == NULL ||
        (narrower = take(&b, narrower_o, 1, 0, NULL, "narrower")) == NULL ||
        seen_of(&b, seen, mask, pairs, Py_None, &s) < 0) {
        release(&b);
        return NULL;
    }
    if (n_out < n) {
        release(&b);
        PyErr_SetString(PyExc_ValueError, "kg.search._level.next_frontier: the output is shorter than the states");
        return NULL;
    }
    int64_t acc_mask = ((int64_t)1 << shift) - 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        count[states[i] >> shift]++;
    }
    Py_ssize_t kept = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        int64_t np = states[i] >> shift, acc = states[i] & acc_mask;
        /* not at a dead end; and, when its (node, parity) has several states in the level, no broader person
         * seen there (only then can a person seen there cover it) */
        if (moves[np >> 1] && !(count[np] > 1 && narrower[acc] && !none_seen(&s, np, acc))) {
            out[kept++] = i;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        count[states[i] >> shift] = 0;
    }
    release(&b);
    return PyLong_FromSsize_t(kept);
}

static PyObject *none(PyObject *self, PyObject *args) {
    PyObject *out_o, *np_o, *acc_o, *seen, *mask, *pairs;
    if (!PyArg_ParseTuple(args, "OOOOOO", &out_o, &np_o, &acc_o, &seen, &mask, &pairs)) {
        return NULL;
    }
    Buffers b = {.n = 0};
    SeenView s;
    Py_ssize_t n, n_acc, n_out;
    uint8_t *out;
    const int64_t *np, *acc;
    if ((out = take(&b, out_o, 1, 1, &n_out, "out")) == NULL || (np = take(&b, np_o, 8, 0, &n, "np")) == NULL ||
        (acc = take(&b, acc_o, 8, 0, &n_acc, "acc")) == NULL || seen_of(&b, seen, mask, pairs, Py_None, &s) < 0) {
        release(&b);
        return NULL;
    }
    if (n_acc != n || n_out != n) {
        release(&b);
        PyErr_SetString(PyExc_ValueError, "kg.search._level.none: arrays of different lengths");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        out[i] = (uint8_t)none_seen(&s, np[i], acc[i]);
    }
    release(&b);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"none", none, METH_VARARGS, "Per (np, acc): whether no person of the mask has been seen there."},
    {"extend", extend, METH_VARARGS, "A level's fresh walks into caller buffers: their count, or -needed."},
    {"first_per_state", first_per_state, METH_VARARGS, "The first candidate of each state, in order: their count."},
    {"mark", mark, METH_VARARGS, "Mark states seen: the rows in use after, or -(rows in use) - 1 when out of rows."},
    {"next_frontier", next_frontier, METH_VARARGS, "The states of a level to expand: their count."},
    {NULL, NULL, 0, NULL},
};

#ifndef LEVEL_SOURCE_SHA256
#error "compile with -DLEVEL_SOURCE_SHA256=... (hatch_build.py does)"
#endif

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "kg.search._level", "One compiled breadth-first level.", -1,
                                    methods};

PyMODINIT_FUNC PyInit__level(void) {
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && PyModule_AddStringConstant(m, "SOURCE_SHA256", LEVEL_SOURCE_SHA256) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
