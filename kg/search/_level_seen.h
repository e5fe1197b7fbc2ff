/* kg/search/_level.c's view of kg.search.expand.Seen: per (node, parity) the persons a search has seen there,
 * asked ("seen with this person or a broader one?") and marked. Included by kg/search/_level.c only, after
 * _level_buffers.h. */
#ifndef KG_LEVEL_SEEN_H
#define KG_LEVEL_SEEN_H

#define NONE (-1)
#define SEVERAL (-2)

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
    s->mask = s->pairs = s->bit = NULL; /* each taken only if given, and none after one fails */
    if ((mask != Py_None && (s->mask = take(b, mask, s->packed ? s->wsize : 8, 0, NULL, "mask")) == NULL) ||
        (pairs != Py_None && (s->pairs = take(b, pairs, 1, 0, NULL, "pairs")) == NULL) ||
        (bit != Py_None && (s->bit = take(b, bit, s->packed ? s->wsize : 8, 0, NULL, "bit")) == NULL)) {
        return -1;
    }
    if (s->n_rows_cap >= INT32_MAX) { /* row_of holds row numbers in 32 bits */
        PyErr_SetString(PyExc_ValueError, "kg.search._level: more than 2**31 rows of seen persons");
        return -1;
    }
    return 0;
}

/* Whether no person of `mask` (for `acc`) has been seen at `np`: kg.search.expand.Seen._none. `at` is what Seen
 * holds for `np` (its word, packed; else its head), read once for all the persons asked about at one np. */
static inline int none_seen_at(const SeenView *s, int64_t np, int64_t acc, int64_t at) {
    if (s->packed) {
        return ((uint64_t)at & word_at(s->mask, s->wsize, acc)) == 0;
    }
    if (at == NONE) {
        return 1;
    }
    if (at >= 0) {
        return !s->pairs[acc * s->width + at];
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

static inline int64_t seen_at(const SeenView *s, int64_t np) {
    return s->packed ? (int64_t)word_at(s->words, s->wsize, np) : head_at(s->head, s->hsize, np);
}

static inline int none_seen(const SeenView *s, int64_t np, int64_t acc) {
    return none_seen_at(s, np, acc, seen_at(s, np));
}

/* Whether `acc` itself has been marked at `np`: 1 yes, 0 no, -1 not known (person 0 is marked there: then no other
 * is kept). */
static inline int marked(const SeenView *s, int64_t np, int64_t acc) {
    if (s->packed) {
        return (word_at(s->words, s->wsize, np) & word_at(s->bit, s->wsize, acc)) != 0;
    }
    int64_t h = head_at(s->head, s->hsize, np);
    if (h == acc) {
        return 1;
    }
    if (h == 0) {
        return -1;
    }
    if (h != SEVERAL) {
        return 0;
    }
    const uint64_t *row = s->rows + (int64_t)s->row_of[np] * s->n_words;
    return (row[acc >> 6] & ((const uint64_t *)s->bit)[acc]) != 0;
}

/* Whether `np` was seen with person 0 (about anyone: broader than every other), and so is closed to every walk
 * (the start's own (node, parity) pairs are marked so). Packed, person 0 is bit 0; else a head of 0 (mark keeps
 * nothing else once person 0 is seen). */
static inline int closed_at(const SeenView *s, int64_t at) {
    return s->packed ? (at & 1) != 0 : at == 0;
}

/* Mark (np, acc) seen: 0, or -1 when a row is needed and none is left (then nothing changed). */
static inline int mark_one(SeenView *s, int64_t np, int64_t acc, Py_ssize_t *n_rows) {
    if (s->packed) {
        uint64_t w = word_at(s->words, s->wsize, np) | word_at(s->bit, s->wsize, acc);
        switch (s->wsize) {
        case 1:
            ((uint8_t *)s->words)[np] = (uint8_t)w;
            break;
        case 2:
            ((uint16_t *)s->words)[np] = (uint16_t)w;
            break;
        case 4:
            ((uint32_t *)s->words)[np] = (uint32_t)w;
            break;
        default:
            ((uint64_t *)s->words)[np] = w;
        }
        return 0;
    }
    int64_t h = head_at(s->head, s->hsize, np);
    if (h == NONE || acc == 0) { /* person 0 (about anyone) covers every other: the rest need not be kept */
        set_head(s->head, s->hsize, np, acc);
        return 0;
    }
    if (h == 0 || h == acc) {
        return 0;
    }
    const uint64_t *bit = (const uint64_t *)s->bit;
    if (h >= 0) { /* a second person: the pair gets a row, and the one seen so far moves into it */
        if (*n_rows == s->n_rows_cap) {
            return -1;
        }
        s->row_of[np] = (int32_t)*n_rows;
        s->rows[*n_rows * s->n_words + (h >> 6)] |= bit[h];
        (*n_rows)++;
        set_head(s->head, s->hsize, np, SEVERAL);
    }
    s->rows[(int64_t)s->row_of[np] * s->n_words + (acc >> 6)] |= bit[acc];
    return 0;
}

#endif
