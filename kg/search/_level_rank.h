/* kg/search/_level.c's order of a reach search's answer (kg.search.reach.Reached): its states nearest first and then
 * by key, and its nodes nearest first and then by id, by marking the keys of each length in a bitmap over the key
 * space (keys are small integers) and reading it in order, in place of sorting. Included by kg/search/_level.c only,
 * after _level_buffers.h. */
#ifndef KG_LEVEL_RANK_H
#define KG_LEVEL_RANK_H

#define LONGEST 255   /* rank takes lengths below it (kg.questions.scope.MAX_LENGTH_LIMIT is far below) */
#define RANK_PARTS 16 /* the parts rank takes (a reach search's levels, and the keys resolved beside them) */

/* One part of rank's keys: its keys and their lengths (an array, or one length for all). */
typedef struct {
    const int64_t *keys, *lengths;
    int64_t length;
    Py_ssize_t n;
} RankPart;

static inline int bit_of(const uint64_t *bits, int64_t i) {
    return (int)(bits[i >> 6] >> (i & 63) & 1);
}

static inline void set_bit(uint64_t *bits, int64_t i) {
    bits[i >> 6] |= (uint64_t)1 << (i & 63);
}

/* The keys of `parts` (each a tuple (keys, lengths): lengths an array, or an int for the whole part), distinct, each
 * in [0, space) (an even number) with a length from 1 to LONGEST - 1, ranked: keys_out and lengths_out by (length,
 * key), np.lexsort((keys, lengths))'s order; nodes_out the nodes (key >> 1) by (the shortest length of their keys,
 * node), each once. `bits` is scratch: 2 * ceil(space / 64) + ceil(space / 128) words at least. Returns the number of
 * nodes. */
static PyObject *rank(PyObject *self, PyObject *args) {
    PyObject *parts_o, *bits_o, *keys_out_o, *lengths_out_o, *nodes_o;
    Py_ssize_t space;
    if (!PyArg_ParseTuple(args, "O!nOOOO", &PyTuple_Type, &parts_o, &space, &bits_o, &keys_out_o, &lengths_out_o,
                          &nodes_o)) {
        return NULL;
    }
    Py_ssize_t n_parts = PyTuple_GET_SIZE(parts_o);
    if (n_parts > RANK_PARTS) {
        PyErr_SetString(PyExc_ValueError, "kg.search._level.rank: more than 16 parts");
        return NULL;
    }
    Buffers b = {.n = 0};
    RankPart parts[RANK_PARTS];
    Py_ssize_t n = 0, n_bits = 0, lens[3] = {0};
    int bad = 0;
    for (Py_ssize_t p = 0; p < n_parts && !bad; p++) {
        PyObject *keys_o, *lengths_o;
        RankPart *part = &parts[p];
        Py_ssize_t n_lengths;
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(parts_o, p), "OO", &keys_o, &lengths_o) ||
            (part->keys = take(&b, keys_o, 8, 0, &part->n, "keys")) == NULL) {
            release(&b);
            return NULL;
        }
        part->lengths = NULL;
        if (PyLong_Check(lengths_o)) {
            part->length = PyLong_AsLongLong(lengths_o);
            if (part->length == -1 && PyErr_Occurred()) {
                release(&b);
                return NULL;
            }
            n_lengths = part->n;
        } else if ((part->lengths = take(&b, lengths_o, 8, 0, &n_lengths, "lengths")) == NULL) {
            release(&b);
            return NULL;
        }
        bad = n_lengths != part->n;
        n += part->n;
    }
    uint64_t *bits = NULL;
    int64_t *keys_out = NULL, *lengths_out = NULL, *nodes = NULL;
    if (!bad && ((bits = take(&b, bits_o, 8, 1, &n_bits, "bits")) == NULL ||
                 (keys_out = take(&b, keys_out_o, 8, 1, &lens[0], "keys out")) == NULL ||
                 (lengths_out = take(&b, lengths_out_o, 8, 1, &lens[1], "lengths out")) == NULL ||
                 (nodes = take(&b, nodes_o, 8, 1, &lens[2], "nodes")) == NULL)) {
        release(&b);
        return NULL;
    }
    Py_ssize_t words = (space + 63) / 64; /* a bitmap over the keys; the nodes' takes half of that, rounded up */
    bad = bad || space < 0 || space % 2 != 0 || n_bits < 2 * words + (space / 2 + 63) / 64;
    for (int k = 0; k < 3 && !bad; k++) {
        bad = lens[k] < n;
    }
    if (bad) {
        release(&b);
        PyErr_SetString(PyExc_ValueError, "kg.search._level.rank: arrays of different lengths (or an odd space, or too "
                                          "few bits)");
        return NULL;
    }
    uint64_t *all = bits, *of_length = bits + words, *node_done = bits + 2 * words;
    memset(bits, 0, (size_t)(2 * words + (space / 2 + 63) / 64) * sizeof(uint64_t));
    uint8_t present[LONGEST] = {0};
    for (Py_ssize_t p = 0; p < n_parts && !bad; p++) { /* the lengths there are */
        const RankPart *part = &parts[p];
        for (Py_ssize_t i = 0; i < (part->lengths == NULL ? (part->n > 0) : part->n); i++) {
            int64_t length = part->lengths == NULL ? part->length : part->lengths[i];
            bad = length < 1 || length >= LONGEST;
            if (bad) {
                break;
            }
            present[length] = 1;
        }
    }
    Py_ssize_t at = 0, n_nodes = 0;
    for (int64_t length = 1; length < LONGEST && !bad; length++) { /* each length's keys marked, read in key order */
        if (!present[length]) {
            continue;
        }
        memset(of_length, 0, (size_t)words * sizeof(uint64_t));
        for (Py_ssize_t p = 0; p < n_parts && !bad; p++) {
            const RankPart *part = &parts[p];
            if (part->lengths == NULL && part->length != length) {
                continue;
            }
            for (Py_ssize_t i = 0; i < part->n; i++) {
                int64_t key = part->keys[i];
                if (part->lengths != NULL && part->lengths[i] != length) {
                    continue;
                }
                if (key < 0 || key >= space || bit_of(all, key)) { /* each key in the space, and once */
                    bad = 1;
                    break;
                }
                set_bit(all, key);
                set_bit(of_length, key);
            }
        }
        if (bad) {
            break;
        }
        for (Py_ssize_t w = 0; w < words; w++) {
            for (uint64_t word = of_length[w]; word != 0; word &= word - 1) {
                int64_t key = 64 * w + __builtin_ctzll(word), node = key >> 1;
                keys_out[at] = key;
                lengths_out[at++] = length;
                if (!bit_of(node_done, node)) { /* its shortest length: the first it is met at */
                    set_bit(node_done, node);
                    nodes[n_nodes++] = node;
                }
            }
        }
    }
    release(&b);
    if (bad) {
        PyErr_SetString(PyExc_ValueError, "kg.search._level.rank: a key beyond the space or twice, or a length not "
                                          "from 1 to 254");
        return NULL;
    }
    return PyLong_FromSsize_t(n_nodes);
}

#endif
