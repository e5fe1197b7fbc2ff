/* One breadth-first level of the reach search, compiled: the loops of kg/search/expand.py that NumPy made
 * several passes over (gather a level's hops and drop those already seen, pick one candidate per state and mark
 * it seen, the keys a level finds, the next frontier) as one pass each.
 *
 * Every array comes from Python through the buffer protocol, in the exact item size kg/search/expand.py gives it
 * (int64 unless said otherwise), and every function does what the NumPy code it replaced did, in the same
 * order: the candidates come out in the order the NumPy passes made them, so the breadth-first tree, and every
 * answer, is the same. Nothing here allocates: outputs are the caller's buffers. extend and mark, out of room,
 * say how much they need (the caller grows the buffer and calls again: both can be repeated); settle, out of rows,
 * says where it stopped (the caller grows the rows and has it go on from there). extend, simple_walks and
 * next_frontier read a large level in two halves, the second on a thread of its own (it touches no Python object;
 * the module holds the GIL throughout); extend leaves each half's walks where it wrote them (runs_of reads them in
 * order), the others put what they find in the one order.
 *
 * A state is (2*node + parity) << shift | person ("np" is 2*node + parity, "acc" the person, an accumulation of
 * kg.search.persons.Persons; person 0 is about anyone, broader than every other). Seen holds, per np, the persons
 * seen there: packed, the bits of one word (of 1, 2, 4 or 8 bytes) per np; else one person per np ("head": -1
 * none, -2 several, else that person) and, for an np with several, a row of 64-bit words.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "_level_buffers.h"
#include "_level_seen.h"
#include "_level_distances.h"
#include "_level_paths.h"
#include "_level_rank.h"
#include "_level_walks.h"

#define ALTS 64 /* kg.search.persons.ALTS: a step is hop * ALTS + person alternative */
#define AHEAD_SEEN 16 /* how many candidates ahead settle and next_frontier ask memory for what Seen holds */
#define AHEAD 8 /* how many states ahead extend asks memory for the edges it will read */

/* The edges of kg.search.expand.Walk: (bounds, entries, n). Node x's entries taken from parity p are rows
 * bounds[2x] + p*n up to bounds[2x + 2] + p*n of `entries` (three int32 each: the (node, parity) it leads to,
 * its hop, its person signature), those about anyone first: up to bounds[2x + 1] + p*n. */
typedef struct {
    const int64_t *bounds;
    const int32_t *entries;
    int64_t n;
} EdgeView;

static int edges_of(Buffers *b, PyObject *edges, EdgeView *e) {
    PyObject *bounds, *entries;
    if (!PyArg_ParseTuple(edges, "OOL", &bounds, &entries, &e->n)) {
        return -1;
    }
    Py_ssize_t n;
    if ((e->bounds = take(b, bounds, 8, 0, NULL, "bounds")) == NULL ||
        (e->entries = take(b, entries, 4, 0, &n, "entries")) == NULL) {
        return -1;
    }
    if (n % 3 != 0) {
        PyErr_SetString(PyExc_TypeError, "kg.search._level: entries is not an array of rows of three");
        return -1;
    }
    return 0;
}

/* The person alternatives of a hop: per (person so far, hop signature), at acc * n_sig + sig (a search's states
 * have few persons, so the rows it reads stay in cache), a word count | value << 7: with one alternative, value is
 * the person after the hop; with several, where their persons start in `to`. */
typedef struct {
    const int64_t *table, *to;
    int64_t n_sig;
} PersonsView;

/* The walks from state `i` (person `acc`) over node `x`'s entries taken from `parity`: over the hops about
 * anyone into `plain`, over the others (one walk per person alternative) into `personal`. One read of the node's
 * run for both: the caller puts the two lists in the order the NumPy passes made them. */
static inline void walks_from(Out *plain, Out *personal, const EdgeView *e, int64_t x, int64_t parity, int64_t i,
                              int64_t acc, const SeenView *s, const PersonsView *p) {
    const int32_t *entry = e->entries + 3 * (e->bounds[2 * x] + parity * e->n);
    const int32_t *mid = e->entries + 3 * (e->bounds[2 * x + 1] + parity * e->n);
    const int32_t *end = e->entries + 3 * (e->bounds[2 * x + 2] + parity * e->n);
    for (; entry < end; entry += 3) {
        int64_t nxt = entry[0], at = seen_at(s, nxt);
        if (closed_at(s, at)) {
            continue;
        }
        if (entry < mid) {
            if (none_seen_at(s, nxt, acc, at)) {
                emit(plain, i, (int64_t)entry[1] * ALTS, nxt, acc);
            }
            continue;
        }
        int64_t word = p->table[acc * p->n_sig + entry[2]], n = word & 127;
        if (n == 1) {
            if (none_seen_at(s, nxt, word >> 7, at)) {
                emit(personal, i, (int64_t)entry[1] * ALTS, nxt, word >> 7);
            }
            continue;
        }
        for (int64_t k = 0; k < n; k++) {
            int64_t to = p->to[(word >> 7) + k];
            if (none_seen_at(s, nxt, to, at)) {
                emit(personal, i, (int64_t)entry[1] * ALTS + k, nxt, to);
            }
        }
    }
}

/* A part of a level's states, [lo, hi), and the walks it makes: those over hops about anyone into `plain`, the
 * others into `personal` (each counted past its room, so that a caller can say how much it needs). */
typedef struct {
    const EdgeView *e;
    const SeenView *s;
    const PersonsView *p;
    const int64_t *states;
    Py_ssize_t lo, hi;
    int shift;
    Out plain, personal;
} Part;

static void gather(Part *part) {
    const int64_t *states = part->states;
    const EdgeView *e = part->e;
    int64_t acc_mask = ((int64_t)1 << part->shift) - 1;
    for (Py_ssize_t i = part->lo; i < part->hi; i++) {
        if (i + 2 * AHEAD < part->hi) { /* a level's states are far apart in memory: ask for them ahead */
            __builtin_prefetch(e->bounds + 2 * (states[i + 2 * AHEAD] >> part->shift >> 1));
        }
        if (i + AHEAD < part->hi) {
            int64_t ahead = states[i + AHEAD] >> part->shift;
            __builtin_prefetch(e->entries + 3 * (e->bounds[2 * (ahead >> 1)] + (ahead & 1) * e->n));
        }
        int64_t np = states[i] >> part->shift;
        walks_from(&part->plain, &part->personal, e, np >> 1, np & 1, i, states[i] & acc_mask, part->s, part->p);
    }
}

static void *gather_apart(void *part) {
    gather((Part *)part);
    return NULL;
}

static Out slice(const Out *o, Py_ssize_t from, Py_ssize_t cap) {
    Out part = {o->owner + from, o->code + from, o->np + from, o->acc + from, cap, 0};
    return part;
}

/* Move `n` walks of `o` from position `from` to position `to`. */
static void move_walks(Out *o, Py_ssize_t from, Py_ssize_t to, Py_ssize_t n) {
    size_t bytes = (size_t)n * sizeof(int64_t);
    memmove(o->owner + to, o->owner + from, bytes);
    memmove(o->code + to, o->code + from, bytes);
    memmove(o->np + to, o->np + from, bytes);
    memmove(o->acc + to, o->acc + from, bytes);
}

/* The walks of all states (their own hops), in state order: by two threads from `split` states on (the second
 * half's walks written into the second half of each buffer; the same walks in the same order as one thread makes),
 * left where they were written: runs[k] = (first, count) of the plain walks of the first half and of the second,
 * then of the personal ones (one thread: the second runs empty). Returns 0, or the room that was missing (then what
 * was written is of no use). */
static Py_ssize_t gather_all(Out *plain, Out *personal, int64_t runs[8], const EdgeView *e, const SeenView *s,
                             const PersonsView *p, const int64_t *states, Py_ssize_t n, int shift, Py_ssize_t split) {
    Part first = {e, s, p, states, 0, n, shift, *plain, *personal};
    Py_ssize_t half = plain->cap / 2 < personal->cap / 2 ? plain->cap / 2 : personal->cap / 2;
    if (n < split || n < 2) {
        gather(&first);
        *plain = first.plain;
        *personal = first.personal;
        int64_t one[8] = {0, plain->count, 0, 0, 0, personal->count, 0, 0};
        memcpy(runs, one, sizeof(one));
        Py_ssize_t most = plain->count > personal->count ? plain->count : personal->count;
        return plain->count > plain->cap || personal->count > personal->cap ? most : 0;
    }
    Part second = first;
    first.hi = second.lo = n / 2;
    first.plain.cap = first.personal.cap = half;
    second.plain = slice(plain, half, plain->cap - half);
    second.personal = slice(personal, half, personal->cap - half);
    in_halves(gather_apart, &first, &second, 1);
    Py_ssize_t counts[4] = {first.plain.count, second.plain.count, first.personal.count, second.personal.count};
    Py_ssize_t most = 0;
    for (int k = 0; k < 4; k++) {
        most = counts[k] > most ? counts[k] : most;
    }
    if (most > half) {
        return 2 * most + 1;
    }
    int64_t two[8] = {0, counts[0], half, counts[1], 0, counts[2], half, counts[3]};
    memcpy(runs, two, sizeof(two));
    plain->count = counts[0] + counts[1];
    personal->count = counts[2] + counts[3];
    return 0;
}

/* A level's fresh walks (kg.search.expand.extend): those over hops about anyone into `out`, the others into `more`,
 * where each half of the level wrote them, and their runs into `runs` (gather_all); backward, each kind moved into
 * one run and followed by the walks of the enzymes in transit. Returns their count, or -(the room a buffer needs). */
static PyObject *extend(PyObject *self, PyObject *args) {
    PyObject *out, *more, *runs_o, *states_o, *edges_o, *real_of_o, *seen, *mask, *pairs, *persons;
    int shift, reverse;
    long long n_real;
    Py_ssize_t split;
    if (!PyArg_ParseTuple(args, "OOOOiOOpLOOOOn", &out, &more, &runs_o, &states_o, &shift, &edges_o, &real_of_o,
                          &reverse, &n_real, &seen, &mask, &pairs, &persons, &split)) {
        return NULL;
    }
    Buffers b = {.n = 0};
    Out plain, personal;
    EdgeView e;
    SeenView s;
    PersonsView p;
    PyObject *alt_table, *alt_to;
    Py_ssize_t n_states;
    const int64_t *states, *real_of;
    if (!PyArg_ParseTuple(persons, "OOL", &alt_table, &alt_to, &p.n_sig)) {
        return NULL;
    }
    if (outs_of(&b, out, &plain) < 0 || outs_of(&b, more, &personal) < 0 ||
        (states = take(&b, states_o, 8, 0, &n_states, "states")) == NULL ||
        (real_of = take(&b, real_of_o, 8, 0, NULL, "real_of")) == NULL ||
        (p.table = take(&b, alt_table, 8, 0, NULL, "alternatives")) == NULL ||
        (p.to = take(&b, alt_to, 8, 0, NULL, "alternatives' persons")) == NULL || edges_of(&b, edges_o, &e) < 0 ||
        seen_of(&b, seen, mask, pairs, Py_None, &s) < 0) {
        release(&b);
        return NULL;
    }
    int64_t *runs = NULL;
    Py_ssize_t n_runs = 0;
    if ((runs = take(&b, runs_o, 8, 1, &n_runs, "runs")) == NULL || n_runs != 8) {
        release(&b);
        if (runs != NULL) {
            PyErr_SetString(PyExc_ValueError, "kg.search._level.extend: runs is not of eight");
        }
        return NULL;
    }
    Py_ssize_t missing = gather_all(&plain, &personal, runs, &e, &s, &p, states, n_states, shift, split);
    if (missing > 0) {
        release(&b);
        return PyLong_FromSsize_t(-missing);
    }
    if (reverse) { /* backward, an enzyme in transit also walks back through the hops into the enzyme, after the rest
                    * of their kind: each kind in one run */
        move_walks(&plain, runs[2], runs[1], runs[3]);
        move_walks(&personal, runs[6], runs[5], runs[7]);
        int64_t acc_mask = ((int64_t)1 << shift) - 1;
        for (Py_ssize_t i = 0; i < n_states; i++) {
            int64_t np = states[i] >> shift;
            if ((np >> 1) >= n_real) {
                walks_from(&plain, &personal, &e, real_of[np >> 1], np & 1, i, states[i] & acc_mask, &s, &p);
            }
        }
        if (plain.count > plain.cap || personal.count > personal.cap) {
            release(&b);
            return PyLong_FromSsize_t(-(plain.count > personal.count ? plain.count : personal.count));
        }
        int64_t one[8] = {0, plain.count, 0, 0, 0, personal.count, 0, 0};
        memcpy(runs, one, sizeof(one));
    }
    Py_ssize_t total = plain.count + personal.count;
    release(&b);
    return PyLong_FromSsize_t(total);
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
        if (mark_one(&s, states[i] >> shift, states[i] & acc_mask, &n_rows) < 0) {
            /* out of rows: what is done stays done (marking twice changes nothing) */
            release(&b);
            return PyLong_FromSsize_t(-n_rows - 1);
        }
    }
    release(&b);
    return PyLong_FromSsize_t(n_rows);
}

/* The keys the states settle chooses find (kg.search.expand.Keys). A key is a (node, sign): forward a state's np,
 * backward 2 * real node + parity. In the order settle chooses them (simple walks first), the first state with a
 * simple walk at a key not yet met finds it (key_state 0 -> 1): the key and the state's position, into keys and
 * pos; then a key not yet met that only walks repeating a node reach is unresolved (0 -> 2), each once, into bad.
 * With `walked`: each state's node (the key's) into it, and the nodes below n_real marked in `in_tree`. */
typedef struct {
    int64_t *keys, *pos, *bad, *walked;
    int8_t *state;
    uint8_t *in_tree;
    const int64_t *real_of;
    Py_ssize_t n_state, n_real_of, n_real, n_found, n_bad;
} KeyFinder;

/* `keys` (keys, positions, unresolved, key_state, real_of or None, walked or None, in_tree, n_real), each output
 * room for `n`; or None (no keys noted: then k->state is NULL): 0, or -1 with an exception set. */
static int keys_of(Buffers *b, PyObject *keys, Py_ssize_t n, KeyFinder *k) {
    PyObject *keys_o, *pos_o, *bad_o, *state_o, *real_of_o, *walked_o, *in_tree_o;
    Py_ssize_t lens[4] = {0}, n_tree = 0;
    k->state = NULL, k->real_of = NULL, k->walked = NULL, k->in_tree = NULL, k->n_real_of = 0, k->n_found = 0;
    k->n_bad = 0;
    if (keys == Py_None) {
        return 0;
    }
    if (!PyArg_ParseTuple(keys, "OOOOOOOn", &keys_o, &pos_o, &bad_o, &state_o, &real_of_o, &walked_o, &in_tree_o,
                          &k->n_real)) {
        return -1;
    }
    if ((k->keys = take(b, keys_o, 8, 1, &lens[0], "keys")) == NULL ||
        (k->pos = take(b, pos_o, 8, 1, &lens[1], "positions")) == NULL ||
        (k->bad = take(b, bad_o, 8, 1, &lens[2], "unresolved")) == NULL ||
        (k->state = take(b, state_o, 1, 1, &k->n_state, "key_state")) == NULL ||
        (real_of_o != Py_None && (k->real_of = take(b, real_of_o, 8, 0, &k->n_real_of, "real_of")) == NULL) ||
        (walked_o != Py_None && ((k->walked = take(b, walked_o, 8, 1, &lens[3], "walked")) == NULL ||
                                 (k->in_tree = take(b, in_tree_o, 1, 1, &n_tree, "in_tree")) == NULL))) {
        return -1;
    }
    if (lens[0] < n || lens[1] < n || lens[2] < n ||
        (k->walked != NULL && (lens[3] < n || k->n_real < 0 || k->n_real > n_tree))) {
        PyErr_SetString(PyExc_ValueError, "kg.search._level.settle: keys' arrays of different lengths");
        return -1;
    }
    return 0;
}

/* The key of a state at `np`, or -1 when it is beyond key_state (or its node beyond real_of). */
static inline int64_t key_of(const KeyFinder *k, int64_t np) {
    int64_t node = np >> 1;
    if (k->real_of != NULL) {
        if (node < 0 || node >= k->n_real_of) {
            return -1;
        }
        node = k->real_of[node];
    }
    int64_t key = 2 * node + (np & 1);
    return key >= 0 && key < k->n_state ? key : -1;
}

/* The state chosen at position `at`, with its key and whether its walk is simple. */
static inline void note_key(KeyFinder *k, int64_t key, int simple, Py_ssize_t at) {
    if (k->state[key] == 0) {
        if (simple) {
            k->state[key] = 1;
            k->keys[k->n_found] = key;
            k->pos[k->n_found++] = at;
        } else {
            k->state[key] = 2;
            k->bad[k->n_bad++] = key;
        }
    }
    if (k->walked != NULL) {
        int64_t node = key >> 1;
        k->walked[at] = node;
        if (node < k->n_real) {
            k->in_tree[node] = 1;
        }
    }
}

/* A level's candidates (its walks, runs_of) settled: the first candidate of each state (np, acc), in candidate order
 * (with `ok`: the simple walks first, then the others), unless a state chosen before it in the level has a broader
 * person at its np (it would be covered: found nothing, gone no further); each chosen one copied out with its state,
 * and marked seen, its owner as its parent's position in the tree (`parents[owner]`; None: the owner itself). The
 * first simple candidate of each covered state is set aside (kg.search.resolve's shortcuts read it): into `covered`,
 * its position among the walks, the number of states chosen before it, its parent, step, np and acc; a repeat of a
 * state may be set aside too when person 0 is seen at its np (Seen keeps no other person there). The keys the chosen
 * states find, into `keys` (KeyFinder; None: none noted). `progress` (six int64: the pass, the candidate, the states
 * chosen, set aside, keys found and keys unresolved so far; zeros to begin) says where to go on from. Returns the rows
 * used; out of rows, -1 - that, with `progress` where it stopped (the caller grows the rows and calls again). */
static PyObject *settle(PyObject *self, PyObject *args) {
    PyObject *out, *walks_o, *ok_o, *covered_o, *parents_o, *keys_o, *seen, *mask, *pairs, *bit, *progress_o;
    int shift;
    Py_ssize_t n_rows;
    if (!PyArg_ParseTuple(args, "OOOOOOiOOOOnO", &out, &walks_o, &ok_o, &covered_o, &parents_o, &keys_o, &shift, &seen,
                          &mask, &pairs, &bit, &n_rows, &progress_o)) {
        return NULL;
    }
    Buffers b = {.n = 0};
    SeenView s;
    KeyFinder k;
    PyObject *o[6], *v[6];
    const int64_t *parents = NULL;
    Runs w;
    int64_t *o_owner, *o_code, *o_np, *o_acc, *o_state, *cov[6], *progress;
    uint8_t *o_ok;
    const uint8_t *ok = NULL;
    Py_ssize_t n, lens[1], n_out[6], n_cov_out[6], n_ok = 0, n_parents = 0;
    if (!PyArg_ParseTuple(out, "OOOOOO", &o[0], &o[1], &o[2], &o[3], &o[4], &o[5]) ||
        !PyArg_ParseTuple(covered_o, "OOOOOO", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5])) {
        return NULL;
    }
    for (int c = 0; c < 6; c++) {
        if ((cov[c] = take(&b, v[c], 8, 1, &n_cov_out[c], "covered")) == NULL) {
            release(&b);
            return NULL;
        }
    }
    if (runs_of(&b, walks_o, &w) < 0) {
        release(&b);
        return NULL;
    }
    n = w.total;
    if ((ok_o != Py_None && (ok = take(&b, ok_o, 1, 0, &n_ok, "ok")) == NULL) ||
        (parents_o != Py_None && (parents = take(&b, parents_o, 8, 0, &n_parents, "parents")) == NULL) ||
        (o_owner = take(&b, o[0], 8, 1, &n_out[0], "owner out")) == NULL ||
        (o_code = take(&b, o[1], 8, 1, &n_out[1], "code out")) == NULL ||
        (o_np = take(&b, o[2], 8, 1, &n_out[2], "np out")) == NULL ||
        (o_acc = take(&b, o[3], 8, 1, &n_out[3], "acc out")) == NULL ||
        (o_state = take(&b, o[4], 8, 1, &n_out[4], "state out")) == NULL ||
        (o_ok = take(&b, o[5], 1, 1, &n_out[5], "ok out")) == NULL ||
        (progress = take(&b, progress_o, 8, 1, &lens[0], "progress")) == NULL ||
        seen_of(&b, seen, mask, pairs, bit, &s) < 0 || keys_of(&b, keys_o, n, &k) < 0) {
        release(&b);
        return NULL;
    }
    int mismatch = lens[0] != 6 || (ok != NULL && n_ok != n);
    for (int c = 0; c < 6; c++) {
        mismatch |= n_out[c] < n || n_cov_out[c] < n;
    }
    if (mismatch) {
        release(&b);
        PyErr_SetString(PyExc_ValueError, "kg.search._level.settle: arrays of different lengths");
        return NULL;
    }
    Py_ssize_t count = progress[2], n_cov = progress[3], start = progress[1];
    int pass = progress[0] == 0 && ok == NULL ? 1 : (int)progress[0]; /* with ok: simple walks first */
    k.n_found = progress[4], k.n_bad = progress[5];
    if (pass < 0 || pass > 2 || start < 0 || start > n || count < 0 || count > n || n_cov < 0 || n_cov > n ||
        k.n_found < 0 || k.n_found > count || k.n_bad < 0 || k.n_bad > count) {
        release(&b);
        PyErr_SetString(PyExc_ValueError, "kg.search._level.settle: progress beyond the candidates");
        return NULL;
    }
    int out_of_rows = 0, beyond = 0;
    for (; pass < 2 && !out_of_rows && !beyond; pass++, start = 0) {
        for (int run = 0; run < 4 && !out_of_rows && !beyond; run++) { /* candidate i is walk j of its run */
            const int64_t *owner = w.owner[run], *code = w.code[run], *np = w.np[run], *acc = w.acc[run];
            Py_ssize_t from, m;
            run_span(&w, run, start, n, &from, &m);
            for (Py_ssize_t j = from; j < m; j++) {
                Py_ssize_t i = w.start[run] + j;
                if (j + AHEAD_SEEN < m) { /* the seen word or head of a candidate ahead, asked for now */
                    __builtin_prefetch(s.packed ? (const char *)s.words + np[j + AHEAD_SEEN] * s.wsize
                                                : (const char *)s.head + np[j + AHEAD_SEEN] * s.hsize, 1);
                }
                if (ok != NULL && (ok[i] != 0) != (pass == 0)) {
                    continue;
                }
                beyond = parents != NULL && (owner[j] < 0 || owner[j] >= n_parents);
                if (beyond) {
                    break;
                }
                int64_t parent = parents != NULL ? parents[owner[j]] : owner[j];
                /* every state chosen is marked, and extend let through no candidate that a state of an earlier level
                 * covers: Seen tells a repeat (its own person seen) from a covered state (a broader one) */
                int64_t at = seen_at(&s, np[j]);
                if (closed_at(&s, at) || !none_seen_at(&s, np[j], acc[j], at)) {
                    if ((ok == NULL || pass == 0) && marked(&s, np[j], acc[j]) != 1) {
                        cov[0][n_cov] = i, cov[1][n_cov] = count, cov[2][n_cov] = parent;
                        cov[3][n_cov] = code[j], cov[4][n_cov] = np[j], cov[5][n_cov++] = acc[j];
                    }
                    continue;
                }
                int64_t key = k.state != NULL ? key_of(&k, np[j]) : 0;
                beyond = key < 0;
                if (beyond) {
                    break;
                }
                if (mark_one(&s, np[j], acc[j], &n_rows) < 0) { /* nothing changed: go on from here */
                    progress[0] = pass, progress[1] = i, progress[2] = count, progress[3] = n_cov;
                    progress[4] = k.n_found, progress[5] = k.n_bad;
                    out_of_rows = 1;
                    break;
                }
                o_owner[count] = parent;
                o_code[count] = code[j];
                o_np[count] = np[j];
                o_acc[count] = acc[j];
                o_state[count] = np[j] << shift | acc[j];
                o_ok[count] = ok == NULL ? 1 : ok[i];
                if (k.state != NULL) {
                    note_key(&k, key, o_ok[count], count);
                }
                count++;
            }
        }
    }
    release(&b);
    if (beyond) {
        PyErr_SetString(PyExc_ValueError, "kg.search._level.settle: an owner beyond the parents, or a key beyond "
                                          "key_state");
        return NULL;
    }
    if (out_of_rows) {
        return PyLong_FromSsize_t(-n_rows - 1);
    }
    progress[0] = 2, progress[1] = n, progress[2] = count, progress[3] = n_cov, progress[4] = k.n_found;
    progress[5] = k.n_bad;
    return PyLong_FromSsize_t(n_rows);
}

/* A part of a level's states, [lo, hi), for next_frontier: the positions of those to expand, and those states, written
 * from out + lo and chosen + lo. */
typedef struct {
    int64_t *out, *chosen;
    const int64_t *states;
    const uint8_t *moves, *narrower;
    const SeenView *s;
    int shift;
    Py_ssize_t lo, hi, kept;
} FrontierPart;

static void frontier_part(FrontierPart *f) {
    int64_t acc_mask = ((int64_t)1 << f->shift) - 1;
    int64_t *out = f->out + f->lo, *chosen = f->chosen + f->lo;
    Py_ssize_t kept = 0;
    for (Py_ssize_t i = f->lo; i < f->hi; i++) {
        if (i + AHEAD_SEEN < f->hi) {
            int64_t ahead = f->states[i + AHEAD_SEEN] >> f->shift;
            __builtin_prefetch(f->s->packed ? (const char *)f->s->words + ahead * f->s->wsize
                                            : (const char *)f->s->head + ahead * f->s->hsize);
        }
        int64_t np = f->states[i] >> f->shift, acc = f->states[i] & acc_mask;
        /* not at a dead end; and no broader person seen at its (node, parity) (only another state of the level
         * can have one there: extend let through no candidate that an earlier level covers) */
        if (f->moves[np >> 1] && !(f->narrower[acc] && !none_seen(f->s, np, acc))) {
            chosen[kept] = f->states[i];
            out[kept++] = i;
        }
    }
    f->kept = kept;
}

static void *frontier_apart(void *part) {
    frontier_part((FrontierPart *)part);
    return NULL;
}

/* The positions of a level's states to expand, into `out`, and those states into `chosen` (seen is only read: from
 * `split` states on, the second half is read on a thread of its own, and what it found moved up behind the first's).
 * Returns their count. */
static PyObject *next_frontier(PyObject *self, PyObject *args) {
    PyObject *out_o, *chosen_o, *states_o, *moves_o, *seen, *mask, *pairs, *narrower_o;
    int shift;
    Py_ssize_t split;
    if (!PyArg_ParseTuple(args, "OOOiOOOOOn", &out_o, &chosen_o, &states_o, &shift, &moves_o, &seen, &mask, &pairs,
                          &narrower_o, &split)) {
        return NULL;
    }
    Buffers b = {.n = 0};
    SeenView s;
    Py_ssize_t n, n_out, n_chosen;
    int64_t *out, *chosen;
    const int64_t *states;
    const uint8_t *moves, *narrower;
    if ((out = take(&b, out_o, 8, 1, &n_out, "out")) == NULL ||
        (chosen = take(&b, chosen_o, 8, 1, &n_chosen, "chosen")) == NULL ||
        (states = take(&b, states_o, 8, 0, &n, "states")) == NULL ||
        (moves = take(&b, moves_o, 1, 0, NULL, "moves")) == NULL ||
        (narrower = take(&b, narrower_o, 1, 0, NULL, "narrower")) == NULL ||
        seen_of(&b, seen, mask, pairs, Py_None, &s) < 0) {
        release(&b);
        return NULL;
    }
    if (n_out < n || n_chosen < n) {
        release(&b);
        PyErr_SetString(PyExc_ValueError, "kg.search._level.next_frontier: arrays of different lengths");
        return NULL;
    }
    FrontierPart first = {out, chosen, states, moves, narrower, &s, shift, 0, n, 0};
    FrontierPart second = first;
    if (n >= split && n >= 2) {
        first.hi = second.lo = n / 2;
    }
    in_halves(frontier_apart, &first, &second, first.hi < n);
    Py_ssize_t kept = first.kept;
    if (first.hi < n) {
        memmove(out + kept, out + second.lo, (size_t)second.kept * sizeof(int64_t));
        memmove(chosen + kept, chosen + second.lo, (size_t)second.kept * sizeof(int64_t));
        kept += second.kept;
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
    {"settle", settle, METH_VARARGS, "A level's first candidate per state, copied out and marked: the rows used."},
    {"mark", mark, METH_VARARGS, "Mark states seen: the rows in use after, or -(rows in use) - 1 when out of rows."},
    {"next_frontier", next_frontier, METH_VARARGS, "A level's states to expand, and their positions: their count."},
    {"distances", distances, METH_VARARGS, "More levels of signed breadth-first distances: (head, tail, depth) of the last."},
    {"near", near, METH_VARARGS, "A path search's extensions that can still arrive in the hops left: their count."},
    {"rank", rank, METH_VARARGS, "A reach search's states and nodes, nearest first: the number of nodes."},
    {"simple_walks", simple_walks, METH_VARARGS, "Whether each fresh walk of a level is a path: how many are."},
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
