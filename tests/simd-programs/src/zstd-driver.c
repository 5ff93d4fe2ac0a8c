/* zstd-driver: drives the zstd library (the single-file zstd.c vendored by the PyPI sdist
 * zstandard, see ../build.sh) over generated data: one-shot compression at several levels,
 * streaming compression and decompression in small chunks, long-distance matching, and a
 * dictionary trained on small records. Every result is decompressed and compared with the
 * input; the compressed sizes and digests of the compressed frames are printed (zstd is
 * deterministic for a given version, level and parameters, single-threaded).
 *
 *   zstd [SIZE_KB=128] [LEVELS=-3,1,3,9] [REPS=1] [SEED=1]
 *
 * The library is built with -msimd128 -O3 and relies on clang's auto-vectorization (plus
 * zstd's own __wasm_simd128__ paths in xxhash).
 */
#define ZSTD_STATIC_LINKING_ONLY
#include "zstd.h"
#include "zdict.h"
#include "common.h"

static int failures;

static void fail(const char *what, size_t code) {
    printf("FAIL %s: %s\n", what, ZSTD_isError(code) ? ZSTD_getErrorName(code) : "mismatch");
    failures++;
}

/* ---- generated input: text, records, tables, noise and long repeats ---- */
static const char *WORDS[] = {
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on",
    "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had", "they",
    "you", "were", "their", "one", "all", "we", "can", "her", "has", "there", "been", "if", "more", "when",
    "will", "would", "who", "so", "no", "vector", "lane", "shuffle", "saturate", "compress", "window",
    "entropy", "huffman", "literal", "sequence", "offset", "match", "dictionary", "frame", "block",
};
#define NWORDS (sizeof WORDS / sizeof WORDS[0])

static size_t gen_text(char *p, size_t n) {
    size_t i = 0;
    while (i + 16 < n) {
        /* roughly Zipf: small indices much more likely */
        uint32_t r = rng_below(NWORDS * NWORDS);
        uint32_t w = NWORDS - 1 - (uint32_t)((r / NWORDS) * (r % NWORDS) / NWORDS) % NWORDS;
        w = rng_below(3) ? rng_below(16) : w;
        size_t len = strlen(WORDS[w]);
        memcpy(p + i, WORDS[w], len);
        i += len;
        uint32_t punct = rng_below(24);
        p[i++] = punct == 0 ? '.' : punct == 1 ? ',' : punct == 2 ? '\n' : ' ';
    }
    while (i < n) p[i++] = ' ';
    return n;
}

static size_t gen_record(char *p, size_t cap, uint32_t id) {
    static const char *NAMES[] = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"};
    static const char *KINDS[] = {"sensor", "gateway", "camera", "thermostat"};
    int n = snprintf(p, cap,
                     "{\"id\":%u,\"name\":\"%s-%u\",\"kind\":\"%s\",\"temp\":%d.%u,\"ok\":%s,\"tags\":[\"%s\",\"%s\"]}\n",
                     id, NAMES[rng_below(8)], rng_below(1000), KINDS[rng_below(4)], (int)rng_below(60) - 20, rng_below(10),
                     rng_below(5) ? "true" : "false", NAMES[rng_below(8)], KINDS[rng_below(4)]);
    return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}

static size_t gen_records(char *p, size_t n) {
    size_t i = 0;
    uint32_t id = 1000;
    while (i + 256 < n) i += gen_record(p + i, 256, id++);
    while (i < n) p[i++] = '\n';
    return n;
}

static void gen_table(uint8_t *p, size_t n) {
    int32_t v = 0, dv = 3;
    for (size_t i = 0; i + 4 <= n; i += 4) {
        if (rng_below(64) == 0) dv = (int32_t)rng_below(41) - 20;
        v += dv + (int32_t)rng_below(3) - 1;
        memcpy(p + i, &v, 4);
    }
}

static uint8_t *make_input(size_t n) {
    uint8_t *buf = xmalloc(n);
    size_t i = 0;
    while (i < n) {
        size_t seg = 4096 + rng_below(28 * 1024);
        if (seg > n - i) seg = n - i;
        switch (rng_below(8)) {
        case 0: case 1: case 2: gen_text((char *)buf + i, seg); break;
        case 3: case 4: gen_records((char *)buf + i, seg); break;
        case 5: gen_table(buf + i, seg); break;
        case 6: rng_fill(buf + i, seg); break;
        default: /* a long repeat of earlier data, with a few changed bytes */
            if (i >= seg) {
                size_t from = rng_below((uint32_t)(i - seg + 1));
                memmove(buf + i, buf + from, seg);
                for (int k = 0; k < 8; k++) buf[i + rng_below((uint32_t)seg)] ^= (uint8_t)rng_u32();
            } else {
                memset(buf + i, 'z', seg);
            }
        }
        i += seg;
    }
    return buf;
}

/* ---- one-shot ---- */
static void one_shot(const uint8_t *src, size_t n, int level, long reps, digest_t *all) {
    size_t cap = ZSTD_compressBound(n);
    uint8_t *dst = xmalloc(cap), *back = xmalloc(n);
    ZSTD_CCtx *cctx = ZSTD_createCCtx();
    ZSTD_DCtx *dctx = ZSTD_createDCtx();
    size_t csize = 0;
    for (long r = 0; r < reps; r++) {
        ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
        csize = ZSTD_compress2(cctx, dst, cap, src, n);
        if (ZSTD_isError(csize)) { fail("compress2", csize); break; }
        size_t d = ZSTD_decompressDCtx(dctx, back, n, dst, csize);
        if (ZSTD_isError(d) || d != n || memcmp(back, src, n) != 0) { fail("decompress", d); break; }
    }
    uint64_t h = digest_of(dst, csize);
    dg_u64(all, h);
    printf("level %3d: %8zu -> %8zu bytes (%5.2f%%) frame %016llx\n", level, n, csize, 100.0 * (double)csize / (double)n,
           (unsigned long long)h);
    ZSTD_freeCCtx(cctx);
    ZSTD_freeDCtx(dctx);
    free(dst);
    free(back);
}

/* ---- streaming: small input chunks, small output buffers ---- */
static void streaming(const uint8_t *src, size_t n, int level, int ldm, digest_t *all) {
    size_t cap = ZSTD_compressBound(n) + 1024;
    uint8_t *dst = xmalloc(cap), *back = xmalloc(n + 1);
    ZSTD_CCtx *cctx = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
    if (ldm) {
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_enableLongDistanceMatching, 1);
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_windowLog, 24);
    }
    size_t pos = 0, out = 0, chunk = 1000;
    while (pos <= n) {
        size_t take = n - pos < chunk ? n - pos : chunk;
        ZSTD_inBuffer in = {src + pos, take, 0};
        ZSTD_EndDirective mode = pos + take == n ? ZSTD_e_end : ZSTD_e_continue;
        for (;;) {
            size_t room = cap - out < 777 ? cap - out : 777;
            ZSTD_outBuffer ob = {dst + out, room, 0};
            size_t rem = ZSTD_compressStream2(cctx, &ob, &in, mode);
            out += ob.pos;
            if (ZSTD_isError(rem)) { fail("compressStream2", rem); goto done; }
            if (mode == ZSTD_e_end ? rem == 0 : in.pos == in.size) break;
        }
        pos += take;
        if (mode == ZSTD_e_end) break;
        chunk = chunk * 3 % 4093 + 1;
    }
    {
        ZSTD_DCtx *dctx = ZSTD_createDCtx();
        ZSTD_inBuffer in = {dst, 0, 0};
        size_t got = 0, fed = 0, ret = 1;
        while (ret != 0) {
            if (in.pos == in.size && fed < out) {
                size_t t = out - fed < 513 ? out - fed : 513;
                in.src = dst + fed;
                in.size = t;
                in.pos = 0;
                fed += t;
            }
            ZSTD_outBuffer ob = {back + got, (n + 1 - got) < 1531 ? n + 1 - got : 1531, 0};
            ret = ZSTD_decompressStream(dctx, &ob, &in);
            got += ob.pos;
            if (ZSTD_isError(ret)) { fail("decompressStream", ret); break; }
            if (ret != 0 && in.pos == in.size && fed == out && ob.pos == 0) { fail("decompressStream truncated", 0); break; }
        }
        if (!ZSTD_isError(ret) && (got != n || memcmp(back, src, n) != 0)) fail("stream round trip", 0);
        ZSTD_freeDCtx(dctx);
    }
    {
        uint64_t h = digest_of(dst, out);
        dg_u64(all, h);
        printf("stream level %d%s: %8zu -> %8zu bytes frame %016llx\n", level, ldm ? " ldm" : "", n, out,
               (unsigned long long)h);
    }
done:
    ZSTD_freeCCtx(cctx);
    free(dst);
    free(back);
}

/* ---- dictionary: train on records, compress each record with and without it ---- */
static void dictionary(size_t nsamples, digest_t *all) {
    char *samples = xmalloc(nsamples * 256);
    size_t *sizes = xmalloc(nsamples * sizeof(size_t));
    size_t total = 0;
    for (size_t i = 0; i < nsamples; i++) {
        sizes[i] = gen_record(samples + total, 256, (uint32_t)(5000 + i));
        total += sizes[i];
    }
    size_t dcap = 4096;
    uint8_t *dict = xmalloc(dcap);
    size_t dsize = ZDICT_trainFromBuffer(dict, dcap, samples, sizes, (unsigned)nsamples);
    if (ZDICT_isError(dsize)) {
        printf("FAIL dictionary training: %s\n", ZDICT_getErrorName(dsize));
        failures++;
        return;
    }
    ZSTD_CDict *cd = ZSTD_createCDict(dict, dsize, 5);
    ZSTD_DDict *dd = ZSTD_createDDict(dict, dsize);
    ZSTD_CCtx *cctx = ZSTD_createCCtx();
    ZSTD_DCtx *dctx = ZSTD_createDCtx();
    uint8_t out[512], back[256];
    size_t with = 0, without = 0, off = 0;
    digest_t d;
    dg_init(&d);
    for (size_t i = 0; i < nsamples; i++, off += sizes[i - 1]) {
        size_t c1 = ZSTD_compress_usingCDict(cctx, out, sizeof out, samples + off, sizes[i], cd);
        if (ZSTD_isError(c1)) { fail("compress_usingCDict", c1); break; }
        dg_bytes(&d, out, c1);
        size_t r = ZSTD_decompress_usingDDict(dctx, back, sizeof back, out, c1, dd);
        if (ZSTD_isError(r) || r != sizes[i] || memcmp(back, samples + off, r) != 0) { fail("decompress_usingDDict", r); break; }
        size_t c2 = ZSTD_compressCCtx(cctx, out, sizeof out, samples + off, sizes[i], 5);
        if (ZSTD_isError(c2)) { fail("compressCCtx", c2); break; }
        with += c1;
        without += c2;
    }
    dg_u64(all, d.h);
    printf("dictionary: %zu samples, %zu bytes, dict %zu bytes id %u digest %016llx: with %zu, without %zu bytes\n", nsamples,
           total, dsize, ZDICT_getDictID(dict, dsize), (unsigned long long)digest_of(dict, dsize), with, without);
    printf("dictionary frames %016llx\n", (unsigned long long)d.h);
    ZSTD_freeCDict(cd);
    ZSTD_freeDDict(dd);
    ZSTD_freeCCtx(cctx);
    ZSTD_freeDCtx(dctx);
    free(samples);
    free(sizes);
    free(dict);
}

int main(int argc, char **argv) {
    prog_usage = "[SIZE_KB=128] [LEVELS=-3,1,3,9] [REPS=1] [SEED=1]";
    long kb = arg_long(argc, argv, 1, 128, 1, 1 << 20);
    const char *levels = argc > 2 ? argv[2] : "-3,1,3,9";
    long reps = arg_long(argc, argv, 3, 1, 1, 100000);
    long seed = arg_long(argc, argv, 4, 1, 0, 0x7fffffff);
    rng_seed((uint64_t)seed);
    size_t n = (size_t)kb * 1024;
    uint8_t *src = make_input(n);
    printf("zstd %s, input %zu bytes, digest %016llx\n", ZSTD_versionString(), n, (unsigned long long)digest_of(src, n));
    digest_t all;
    dg_init(&all);
    for (const char *p = levels; *p;) {
        char *end;
        long level = strtol(p, &end, 10);
        if (end == p || level < ZSTD_minCLevel() || level > ZSTD_maxCLevel()) {
            fprintf(stderr, "zstd: bad level list '%s'\nusage: %s %s\n", levels, argv[0], prog_usage);
            return 2;
        }
        one_shot(src, n, (int)level, reps, &all);
        p = *end == ',' ? end + 1 : end;
    }
    streaming(src, n, 3, 0, &all);
    streaming(src, n, 1, 1, &all);
    dictionary(200 + (size_t)kb * 2, &all);
    printf("zstd: %s, all %016llx\n", failures ? "FAILURES" : "all round trips ok", (unsigned long long)all.h);
    return failures ? 1 : 0;
}
