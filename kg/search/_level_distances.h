/* kg/search/_level.c's breadth-first distances over (node, parity) states, without persons: the bound every path
 * question uses (kg.search.view.Bound), grown one level at a time. Included by kg/search/_level.c only, after
 * _level_buffers.h. */
#ifndef KG_LEVEL_DISTANCES_H
#define KG_LEVEL_DISTANCES_H

/* One level of a breadth-first search over (node, parity) states, without persons: kg.search.view.Bound.grow.
 * queue[head:tail] are the states at distance depth - 1 (the last level); each state they reach first gets `depth`
 * in `dist`, is marked in `reached` and is appended to `queue`. Returns the new tail: the states at distance `depth`
 * are queue[tail:new tail]. A state's edges are ptr[x] .. ptr[x + 1] of `step` (the state each leads to from parity
 * 0; from parity 1 the low bit flips). */
static PyObject *distances(PyObject *self, PyObject *args) {
    PyObject *dist_o, *reached_o, *queue_o, *ptr_o, *step_o;
    Py_ssize_t head, tail;
    long long depth;
    if (!PyArg_ParseTuple(args, "OOOOOnnL", &dist_o, &reached_o, &queue_o, &ptr_o, &step_o, &head, &tail, &depth)) {
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
    if (n_reached != n || n_queue < n || 2 * (n_ptr - 1) != n || head < 0 || head > tail || tail > n || depth < 1) {
        release(&b);
        PyErr_SetString(PyExc_ValueError, "kg.search._level.distances: arrays of different lengths, or no such level");
        return NULL;
    }
    for (Py_ssize_t i = head; i < tail; i++) {
        if (queue[i] < 0 || queue[i] >= n) {
            release(&b);
            PyErr_SetString(PyExc_ValueError, "kg.search._level.distances: a queued state out of range");
            return NULL;
        }
    }
    Py_ssize_t end = tail;
    for (; head < end; head++) {
        int64_t x = queue[head] >> 1, parity = queue[head] & 1;
        for (int64_t e = ptr[x]; e < ptr[x + 1]; e++) {
            int64_t nxt = step[e] ^ parity;
            if (!reached[nxt]) {
                if (tail == n) { /* a state queued twice: `reached` does not match the queue */
                    release(&b);
                    PyErr_SetString(PyExc_ValueError, "kg.search._level.distances: reached does not match the queue");
                    return NULL;
                }
                reached[nxt] = 1;
                dist[nxt] = depth;
                queue[tail++] = nxt;
            }
        }
    }
    release(&b);
    return PyLong_FromSsize_t(tail);
}

#endif
