/* kg/search/_level.c's breadth-first distances over (node, parity) states, without persons: the bound every path
 * question uses (kg.search.view.signed_distances). Included by kg/search/_level.c only, after _level_buffers.h. */
#ifndef KG_LEVEL_DISTANCES_H
#define KG_LEVEL_DISTANCES_H

/* Breadth-first distances over (node, parity) states, without persons: kg.search.view.signed_distances. `dist`
 * (UNREACHED everywhere) gets each state's hops from `start`, up to `limit`; `reached` (all 0) and `queue` (room for
 * every state) are the caller's. A state's edges are ptr[x] .. ptr[x + 1] of `step` (the state each leads to from
 * parity 0; from parity 1 the low bit flips). */
static PyObject *distances(PyObject *self, PyObject *args) {
    PyObject *dist_o, *reached_o, *queue_o, *ptr_o, *step_o;
    long long start, limit;
    if (!PyArg_ParseTuple(args, "OOOOOLL", &dist_o, &reached_o, &queue_o, &ptr_o, &step_o, &start, &limit)) {
        return NULL;
    }
    Buffers b = {.n = 0};
    Py_ssize_t n, n_reached, n_queue, n_ptr, n_step;
    int64_t *dist, *queue;
    uint8_t *reached;
    const int64_t *ptr, *step;
    if ((dist = take(&b, dist_o, 8, 1, &n, "dist")) == NULL || (reached = take(&b, reached_o, 1, 1, &n_reached, "reached")) == NULL ||
        (queue = take(&b, queue_o, 8, 1, &n_queue, "queue")) == NULL || (ptr = take(&b, ptr_o, 8, 0, &n_ptr, "ptr")) == NULL ||
        (step = take(&b, step_o, 8, 0, &n_step, "step")) == NULL) {
        release(&b);
        return NULL;
    }
    if (n_reached != n || n_queue < n || 2 * (n_ptr - 1) != n || start < 0 || start >= n) {
        release(&b);
        PyErr_SetString(PyExc_ValueError, "kg.search._level.distances: arrays of different lengths, or no such start");
        return NULL;
    }
    Py_ssize_t head = 0, tail = 0;
    dist[start] = 0;
    reached[start] = 1;
    queue[tail++] = start;
    for (long long depth = 1; depth <= limit && head < tail; depth++) {
        Py_ssize_t end = tail;
        for (; head < end; head++) {
            int64_t x = queue[head] >> 1, parity = queue[head] & 1;
            for (int64_t e = ptr[x]; e < ptr[x + 1]; e++) {
                int64_t nxt = step[e] ^ parity;
                if (!reached[nxt]) {
                    reached[nxt] = 1;
                    dist[nxt] = depth;
                    queue[tail++] = nxt;
                }
            }
        }
    }
    release(&b);
    Py_RETURN_NONE;
}

#endif
