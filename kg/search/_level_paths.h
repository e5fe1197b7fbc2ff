/* kg/search/_level.c's first pass of a path search's depth (kg.search.paths._enumerate): the extensions of the
 * partial walks that can still arrive at the target in the hops left. Included by kg/search/_level.c only, after
 * _level_buffers.h. */
#ifndef KG_LEVEL_PATHS_H
#define KG_LEVEL_PATHS_H

/* Per walk i (at expanded node at[i], parity par[i]), each of its node's edges e (ptr[at[i]] .. ptr[at[i] + 1]) in
 * order, the state it leads to (step[e] ^ par[i]: 2·target + the parity after the hop), kept when the target can
 * still reach the path's end in `left` hops: rem[state ^ want] <= left (signed: rem per (node, parity)) or
 * rem[state >> 1] <= left (unsigned: rem per node). Writes the kept (edge, walk, state) into pos, owner and state
 * (room for every edge of the walks) and returns how many; on an error they hold nothing of use (only they are
 * written). */
static PyObject *near(PyObject *self, PyObject *args) {
    PyObject *pos_o, *owner_o, *state_o, *at_o, *par_o, *ptr_o, *step_o, *rem_o;
    long long left, want;
    int signed_rem;
    if (!PyArg_ParseTuple(args, "OOOOOOOOLLp", &pos_o, &owner_o, &state_o, &at_o, &par_o, &ptr_o, &step_o, &rem_o, &left,
                          &want, &signed_rem)) {
        return NULL;
    }
    Buffers b = {.n = 0};
    Py_ssize_t n_pos, n_owner, n_state, n_walks, n_par, n_ptr, n_step, n_rem;
    int64_t *pos, *owner, *state;
    const int64_t *at, *par, *ptr, *step, *rem;
    if ((pos = take(&b, pos_o, 8, 1, &n_pos, "pos")) == NULL || (owner = take(&b, owner_o, 8, 1, &n_owner, "owner")) == NULL ||
        (state = take(&b, state_o, 8, 1, &n_state, "state")) == NULL || (at = take(&b, at_o, 8, 0, &n_walks, "at")) == NULL ||
        (par = take(&b, par_o, 8, 0, &n_par, "par")) == NULL || (ptr = take(&b, ptr_o, 8, 0, &n_ptr, "ptr")) == NULL ||
        (step = take(&b, step_o, 8, 0, &n_step, "step")) == NULL || (rem = take(&b, rem_o, 8, 0, &n_rem, "rem")) == NULL) {
        release(&b);
        return NULL;
    }
    Py_ssize_t room = n_pos < n_owner ? n_pos : n_owner;
    room = room < n_state ? room : n_state;
    int bad = n_par != n_walks || n_ptr < 1 || (want != 0 && want != 1) || n_step < ptr[n_ptr - 1];
    int64_t states = signed_rem ? n_rem : 2 * n_rem; /* the states rem can answer for */
    Py_ssize_t need = 0;
    for (Py_ssize_t i = 0; i < n_walks && !bad; i++) { /* every walk and edge checked before anything is written */
        bad = at[i] < 0 || at[i] >= n_ptr - 1 || (par[i] != 0 && par[i] != 1);
        need += bad ? 0 : ptr[at[i] + 1] - ptr[at[i]];
    }
    if (bad || need > room) {
        release(&b);
        PyErr_SetString(PyExc_ValueError, "kg.search._level.near: arrays of different lengths, or walks beyond the graph");
        return NULL;
    }
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < n_walks; i++) {
        for (int64_t e = ptr[at[i]]; e < ptr[at[i] + 1]; e++) {
            int64_t s = step[e] ^ par[i];
            if (s < 0 || (s | 1) >= states) {
                release(&b);
                PyErr_SetString(PyExc_ValueError, "kg.search._level.near: an edge to a state beyond rem");
                return NULL;
            }
            if ((signed_rem ? rem[s ^ want] : rem[s >> 1]) <= left) {
                pos[count] = e;
                owner[count] = i;
                state[count++] = s;
            }
        }
    }
    release(&b);
    return PyLong_FromSsize_t(count);
}

#endif
