/* kg/search/_level.c's check of a reach level's fresh walks against their ancestors (kg.search.tree.Tree.are_paths and Tree.on_walk):
 * whether each walk is still a path, one pass where NumPy took a gather per level of the tree. Included by
 * kg/search/_level.c only, after _level_buffers.h. */
#ifndef KG_LEVEL_WALKS_H
#define KG_LEVEL_WALKS_H

#define DEEPEST 12 /* levels of a tree it reads (kg.limits.MAX_LENGTH_LIMIT): two buffers each, 38 in all at most */

/* The arrays simple_walks reads, and a part of its walks, [lo, hi), with what the part found: its count of paths,
 * and whether a walk, node or position was beyond the arrays. */
typedef struct {
    uint8_t *ok;
    const Runs *walks;
    const int64_t *real_of, *at, *const *walked, *const *parents;
    const uint8_t *simple, *in_tree;
    const Py_ssize_t *n_level;
    Py_ssize_t depth, n_at, n_tree, n_real, lo, hi, count;
    int bad;
} WalksPart;

/* Walk i (from the state at o into np): ok[i], counted when it is a path; -1 (w->bad set) when something is beyond. */
static inline int walk_is_path(WalksPart *w, Py_ssize_t i, int64_t o, int64_t np) {
    int64_t t = np >> 1;
    if (o < 0 || o >= w->n_at || t < 0 || (w->real_of != NULL && t >= w->n_real)) {
        w->bad = 1;
        return -1;
    }
    int64_t node = w->real_of == NULL ? t : w->real_of[t];
    if (node < 0 || (w->in_tree != NULL && node >= w->n_tree)) {
        w->bad = 1;
        return -1;
    }
    uint8_t fine = w->simple == NULL || w->simple[o];
    if (fine && (w->in_tree == NULL || w->in_tree[node])) { /* the node may be on the walk: up from the parent */
        int64_t pos = w->at == NULL ? o : w->at[o];
        for (Py_ssize_t level = w->depth - 1; level >= 0; level--) {
            if (pos < 0 || pos >= w->n_level[level]) {
                w->bad = 1;
                return -1;
            }
            if (w->walked[level][pos] == node) {
                fine = 0;
                break;
            }
            pos = w->parents[level][pos];
        }
    }
    w->ok[i] = fine;
    w->count += fine;
    return 0;
}

static void walks_part(WalksPart *w) {
    const Runs *r = w->walks;
    for (int k = 0; k < 4; k++) { /* the part's walks of each run */
        Py_ssize_t from, to;
        run_span(r, k, w->lo, w->hi, &from, &to);
        for (Py_ssize_t j = from; j < to; j++) {
            if (walk_is_path(w, r->start[k] + j, r->owner[k][j], r->np[k][j]) < 0) {
                return;
            }
        }
    }
}

static void *walks_apart(void *part) {
    walks_part((WalksPart *)part);
    return NULL;
}

/* Per walk i of `walks` (runs_of; a hop from the state at position at_level[owner[i]] of the tree's last level, or
 * at owner[i] when at_level is None, into (node, parity) np[i]): ok[i] = its parent's walk is a path
 * (simple[owner[i]], or 1 when simple is None) and the node it enters (np[i] >> 1, backward its real node
 * real_of[np[i] >> 1]) is not on that walk. A node that no walk of the tree visits (in_tree 0; None: every node may
 * be) is on none; else the walk is read up the tree: walked[level][pos] is the node of the state at pos,
 * parents[level][pos] its parent's position one level up. From `split` walks on, the second half is read on a
 * thread of its own (each walk is its own question: the same answers). Returns the number of walks that are paths. */
static PyObject *simple_walks(PyObject *self, PyObject *args) {
    PyObject *ok_o, *walks_o, *simple_o, *in_tree_o, *real_of_o, *at_o, *walked_o, *parents_o;
    Py_ssize_t split;
    if (!PyArg_ParseTuple(args, "OOOOOOO!O!n", &ok_o, &walks_o, &simple_o, &in_tree_o, &real_of_o, &at_o,
                          &PyTuple_Type, &walked_o, &PyTuple_Type, &parents_o, &split)) {
        return NULL;
    }
    Py_ssize_t depth = PyTuple_GET_SIZE(walked_o);
    if (depth != PyTuple_GET_SIZE(parents_o) || depth > DEEPEST) {
        PyErr_SetString(PyExc_ValueError, "kg.search._level.simple_walks: walked and parents of different depths");
        return NULL;
    }
    Buffers b = {.n = 0};
    Py_ssize_t n_ok, n_simple = 0, n_tree = 0, n_real = 0, n_at = 0, n_level[DEEPEST], n_parent[DEEPEST];
    uint8_t *ok;
    const int64_t *real_of = NULL, *at = NULL, *walked[DEEPEST], *parents[DEEPEST];
    const uint8_t *simple = NULL, *in_tree = NULL;
    Runs walks;
    if ((ok = take(&b, ok_o, 1, 1, &n_ok, "ok")) == NULL || runs_of(&b, walks_o, &walks) < 0 ||
        (simple_o != Py_None && (simple = take(&b, simple_o, 1, 0, &n_simple, "simple")) == NULL) ||
        (in_tree_o != Py_None && (in_tree = take(&b, in_tree_o, 1, 0, &n_tree, "in_tree")) == NULL) ||
        (real_of_o != Py_None && (real_of = take(&b, real_of_o, 8, 0, &n_real, "real_of")) == NULL) ||
        (at_o != Py_None && (at = take(&b, at_o, 8, 0, &n_at, "at_level")) == NULL)) {
        release(&b);
        return NULL;
    }
    for (Py_ssize_t level = 0; level < depth; level++) {
        if ((walked[level] = take(&b, PyTuple_GET_ITEM(walked_o, level), 8, 0, &n_level[level], "walked")) == NULL ||
            (parents[level] = take(&b, PyTuple_GET_ITEM(parents_o, level), 8, 0, &n_parent[level], "parents")) == NULL) {
            release(&b);
            return NULL;
        }
    }
    Py_ssize_t n = walks.total;
    int bad = n_ok != n;
    for (Py_ssize_t level = 0; level < depth && !bad; level++) {
        bad = n_level[level] != n_parent[level];
    }
    if (at == NULL) { /* owner: positions in the last level (none to read in a tree of no level) */
        n_at = depth > 0 ? n_level[depth - 1] : PY_SSIZE_T_MAX;
    }
    bad = bad || (simple != NULL && n_simple != n_at);
    Py_ssize_t count = 0;
    if (!bad) {
        WalksPart first = {ok, &walks, real_of, at, walked, parents, simple, in_tree, n_level,
                           depth, n_at, n_tree, n_real, 0, n, 0, 0};
        WalksPart second = first;
        if (n >= split && n >= 2) {
            first.hi = second.lo = n / 2;
        }
        in_halves(walks_apart, &first, &second, first.hi < n);
        bad = first.bad || (first.hi < n && second.bad);
        count = first.count + (first.hi < n ? second.count : 0);
    }
    release(&b);
    if (bad) {
        PyErr_SetString(PyExc_ValueError, "kg.search._level.simple_walks: arrays of different lengths, or a walk, node "
                                          "or position beyond them");
        return NULL;
    }
    return PyLong_FromSsize_t(count);
}

#endif
