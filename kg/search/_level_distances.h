/* kg/search/_level.c's breadth-first distances over (node, parity) states, without persons: the bound every path
 * question uses (kg.search.view.Distances), grown as deep as a question needs. Included by kg/search/_level.c only,
 * after _level_buffers.h. */
#ifndef KG_LEVEL_DISTANCES_H
#define KG_LEVEL_DISTANCES_H

/* More levels of a breadth-first search over (node, parity) states, without persons: kg.search.view.Distances.grow.
 * queue[head:tail] are the states at distance `depth` (the last level searched); each state the next levels reach
 * first gets its distance in `dist`, is marked in `reached` and is appended to `queue`, level by level, up to
 * distance `limit`, and no further once the level that reaches `stop_a` or `stop_b` (a state; -1: none) is done, or
 * when a level reaches nothing new. Returns (head, tail, depth) of the last level searched. A state's edges are
 * ptr[x] .. ptr[x + 1] of `step` (the state each leads to from parity 0; from parity 1 the low bit flips). */
static PyObject *distances(PyObject *self, PyObject *args) {
    PyObject *dist_o, *reached_o, *queue_o, *ptr_o, *step_o;
    Py_ssize_t head, tail;
    long long depth, limit, stop_a, stop_b;
    if (!PyArg_ParseTuple(args, "OOOOOnnLLLL", &dist_o, &reached_o, &queue_o, &ptr_o, &step_o, &head, &tail, &depth, &limit,
                          &stop_a, &stop_b)) {
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
    if (n_reached != n || n_queue < n || 2 * (n_ptr - 1) != n || head < 0 || head > tail || tail > n || depth < 0 ||
        stop_a < -1 || stop_a >= n || stop_b < -1 || stop_b >= n) {
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
    while (depth < limit && head < tail && !(stop_a >= 0 && reached[stop_a]) && !(stop_b >= 0 && reached[stop_b])) {
        Py_ssize_t start = tail;
        depth++;
        for (Py_ssize_t i = head; i < start; i++) {
            int64_t x = queue[i] >> 1, parity = queue[i] & 1;
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
        head = start;
    }
    release(&b);
    return Py_BuildValue("nnL", head, tail, depth);
}

#endif
