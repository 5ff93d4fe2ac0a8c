/* Text processing over a 4 MiB buffer of pseudo-random words: a byte histogram (four
 * interleaved tables, as fast implementations do), a word/line count, and substring search for
 * several patterns with Boyer-Moore-Horspool (a 256-entry skip table per pattern).
 * Repeated; each round rewrites part of the text. */
#include "common.h"

#define TEXT (1u << 22)
#define ROUNDS 16

static u8 text[TEXT];
static u32 hist[4][256];
static u32 skip[256];

static const char *const patterns[] = {"the", "memory", "bounds", "check", "wasm64", "zq", "ate ", "ing t"};
#define NPAT (sizeof(patterns) / sizeof(patterns[0]))

static const char *const words[] = {
    "the", "of", "and", "to", "in", "memory", "bounds", "check", "linear", "address", "wasm",
    "sixty", "four", "bit", "index", "load", "store", "guard", "page", "trap", "module", "function",
    "a", "is", "that", "it", "was", "for", "on", "are", "with", "as", "be", "at", "one", "have",
    "this", "from", "or", "had", "by", "hot", "word", "but", "what", "some", "we", "can", "out",
    "other", "were", "all", "there", "when", "up", "use", "your", "how", "said", "an", "each",
    "she", "which", "do", "their", "time", "if", "will", "way", "about", "many", "then", "them",
    "write", "would", "like", "so", "these", "her", "long", "make", "thing", "see", "him", "two",
    "has", "look", "more", "day", "could", "go", "come", "did", "number", "sound", "no", "most",
    "people", "my", "over", "know", "water", "than", "call", "first", "who", "may", "down", "side",
    "been", "now", "find", "any", "new", "work", "part", "take", "get", "place", "made", "live",
    "where", "after", "back", "little", "only", "round", "man", "year", "came", "show", "every",
    "good", "me", "give", "our", "under", "name", "very", "through", "just", "form", "sentence",
};
#define NWORDS (sizeof(words) / sizeof(words[0]))

static usize slen(const char *s) { usize n = 0; while (s[n]) n++; return n; }

static void fill(u64 *seed, usize from, usize to) {
    usize i = from;
    while (i < to) {
        u64 r = rng_next(seed);
        const char *w = words[(r >> 8) % NWORDS];
        for (usize k = 0; w[k] && i < to; k++) text[i++] = (u8)w[k];
        if (i < to) text[i++] = ((r & 63) == 0) ? '\n' : ((r & 15) == 1 ? ',' : ' ');
        if ((r & 0x3ff) == 7 && i < to) text[i++] = (u8)('A' + ((r >> 20) % 26)); /* some noise */
    }
}

static u64 histogram(void) {
    for (int t = 0; t < 4; t++)
        for (int c = 0; c < 256; c++) hist[t][c] = 0;
    for (usize i = 0; i < TEXT; i += 4) {
        hist[0][text[i]]++;
        hist[1][text[i + 1]]++;
        hist[2][text[i + 2]]++;
        hist[3][text[i + 3]]++;
    }
    u64 h = 0;
    for (int c = 0; c < 256; c++) h = mix(h, (u64)(hist[0][c] + hist[1][c] + hist[2][c] + hist[3][c]));
    return h;
}

static u64 counts(void) {
    u32 lines = 0, wordsn = 0, inword = 0;
    for (usize i = 0; i < TEXT; i++) {
        u8 c = text[i];
        lines += c == '\n';
        u32 letter = (u8)((c | 0x20) - 'a') < 26;
        wordsn += letter & !inword;
        inword = letter;
    }
    return ((u64)lines << 32) | wordsn;
}

static u32 horspool(const u8 *pat, usize m) {
    for (int c = 0; c < 256; c++) skip[c] = (u32)m;
    for (usize k = 0; k + 1 < m; k++) skip[pat[k]] = (u32)(m - 1 - k);
    u32 found = 0;
    usize i = 0;
    while (i + m <= TEXT) {
        u8 last = text[i + m - 1];
        if (last == pat[m - 1]) {
            usize k = 0;
            while (k + 1 < m && text[i + k] == pat[k]) k++;
            if (k + 1 >= m) found++;
        }
        i += skip[last];
    }
    return found;
}

EXPORT("bench") u64 bench(void) {
    u64 seed = 0x853C49E6748FEA9BULL, h = 0;
    fill(&seed, 0, TEXT);
    for (int r = 0; r < ROUNDS; r++) {
        h = mix(h, histogram());
        h = mix(h, counts());
        for (usize p = 0; p < NPAT; p++)
            h = mix(h, horspool((const u8 *)patterns[p], slen(patterns[p])));
        usize from = (usize)(rng_next(&seed) % (TEXT / 2));
        fill(&seed, from, from + TEXT / 8);
    }
    return h;
}
