/* kg/search/_level.c's order of a reach search's answer (kg.search.reach.Reached): its states nearest first and then
 * by key, and its nodes nearest first and then by id, by counting over the key space (keys are small integers) in
 * place of sorting. Included by kg/search/_level.c only, after _level_buffers.h. */
#ifndef KG_LEVEL_RANK_H
#define KG_LEVEL_RANK_H

#define LONGEST 255 /* rank takes lengths below it (kg.questions.scope.MAX_LENGTH_LIMIT is far below) */

#define MOST_KEYS (1 << 23) /* rank takes fewer keys: a slot holds position << 8 | length in 31 bits */

/* `keys` (distinct, each in [0, len(slot)), an even number) with their `lengths` (1 to LONGEST - 1), ranked:
 * keys_out, lengths_out and order (each key's position in `keys`) by (length, key), np.lexsort((keys, lengths))'s
 * order; nodes_out the nodes (key >> 1) by (the shortest length of their keys, node), each once. `slot` is scratch
 * (int32), one per key of the space; fewer than MOST_KEYS keys. Returns the number of nodes. */
static PyObject *rank(PyObject *self, PyObject *args) {
    PyObject *keys_o, *lengths_o, *slot_o, *keys_out_o, *lengths_out_o, *order_o, *nodes_o;
    if (!PyArg_ParseTuple(args, "OOOOOOO", &keys_o, &lengths_o, &slot_o, &keys_out_o, &lengths_out_o, &order_o,
                          &nodes_o)) {
        return NULL;
    }
    Buffers b = {.n = 0};
    Py_ssize_t n, lens[6];
    const int64_t *keys, *lengths;
    int64_t *keys_out, *lengths_out, *order, *nodes;
    int32_t *slot;
    if ((keys = take(&b, keys_o, 8, 0, &n, "keys")) == NULL || (lengths = take(&b, lengths_o, 8, 0, &lens[0], "lengths")) == NULL ||
        (slot = take(&b, slot_o, 4, 1, &lens[1], "slot")) == NULL ||
        (keys_out = take(&b, keys_out_o, 8, 1, &lens[2], "keys out")) == NULL ||
        (lengths_out = take(&b, lengths_out_o, 8, 1, &lens[3], "lengths out")) == NULL ||
        (order = take(&b, order_o, 8, 1, &lens[4], "order")) == NULL || (nodes = take(&b, nodes_o, 8, 1, &lens[5], "nodes")) == NULL) {
        release(&b);
        return NULL;
    }
    Py_ssize_t space = lens[1];
    if (lens[0] != n || lens[2] < n || lens[3] < n || lens[4] < n || lens[5] < n || space % 2 != 0 || n >= MOST_KEYS) {
        release(&b);
        PyErr_SetString(PyExc_ValueError, "kg.search._level.rank: arrays of different lengths (or an odd space, or "
                                          "too many keys)");
        return NULL;
    }
    memset(slot, 0xff, (size_t)space * sizeof(int32_t)); /* -1: no key; else position << 8 | length */
    Py_ssize_t start[LONGEST + 2] = {0}, node_start[LONGEST + 2] = {0};
    for (Py_ssize_t i = 0; i < n; i++) {
        int64_t key = keys[i], length = lengths[i];
        if (key < 0 || key >= space || slot[key] >= 0 || length < 1 || length >= LONGEST) {
            release(&b);
            PyErr_SetString(PyExc_ValueError, "kg.search._level.rank: a key beyond the space or twice, or a length "
                                              "not from 1 to 254");
            return NULL;
        }
        slot[key] = (int32_t)(i << 8 | length);
        start[length + 1]++;
    }
    for (int k = 1; k <= LONGEST + 1; k++) { /* where each length's keys start */
        start[k] += start[k - 1];
    }
    /* in key order, each to the next place of its length, and each node's shortest length counted (branch-free:
     * the space is about half full, at random; a place with no key writes to `spare`, a scratch of three, instead;
     * a node with no key counts as LONGEST) */
    int64_t spare[3];
    Py_ssize_t half = space / 2;
    for (Py_ssize_t x = 0; x < half; x++) {
        int32_t pair[2] = {slot[2 * x], slot[2 * x + 1]};
        int64_t shortest = LONGEST;
        for (int odd = 0; odd < 2; odd++) {
            int32_t at_key = pair[odd];
            int64_t found = at_key >= 0, length = at_key & LONGEST;
            Py_ssize_t at = start[length];
            int64_t *k_out = found ? keys_out + at : spare, *l_out = found ? lengths_out + at : spare + 1;
            int64_t *o_out = found ? order + at : spare + 2;
            *k_out = 2 * x + odd;
            *l_out = length;
            *o_out = at_key >> 8;
            start[length] = at + found;
            shortest = length < shortest ? length : shortest; /* (none: LONGEST) */
        }
        node_start[shortest + 1]++;
    }
    for (int k = 1; k <= LONGEST + 1; k++) {
        node_start[k] += node_start[k - 1];
    }
    /* the nodes placed in node order */
    for (Py_ssize_t x = 0; x < half; x++) {
        int64_t a = slot[2 * x] & LONGEST, c = slot[2 * x + 1] & LONGEST; /* none: LONGEST */
        int64_t shortest = a < c ? a : c;
        Py_ssize_t at = node_start[shortest];
        int64_t *n_out = shortest < LONGEST ? nodes + at : spare;
        *n_out = x;
        node_start[shortest] = at + (shortest < LONGEST);
    }
    Py_ssize_t n_nodes = node_start[LONGEST - 1];
    release(&b);
    return PyLong_FromSsize_t(n_nodes);
}

#endif
