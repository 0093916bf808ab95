/*
 * contrast: measures, on a rendered kiosk screenshot, the WCAG 2.x contrast
 * ratio of each piece of text against what is actually behind it, so the
 * tests can catch text that is unreadable as drawn (a theme colour, an
 * overlay, a disabled state or a missing label) rather than only as
 * configured. Usage:
 *   contrast SHOT.png TEXTS.tsv MIN_RATIO
 * TEXTS.tsv has one line per text, "x<TAB>y<TAB>w<TAB>h<TAB>label", the tight
 * box where it was drawn in screenshot pixels (# starts a comment line). For
 * each box the background is its most frequent exact colour and the ink is
 * the most frequent colour among the solid cores of the strokes; one line
 * "ratio<TAB>ink #rrggbb<TAB>background #rrggbb<TAB>x y w h<TAB>label" is
 * printed per text, or "no-ink" when fewer than 6 pixels stand out (a full stop at 24 px has about 16), then
 * "min ratio R over N texts". Exit 0 if every text reaches MIN_RATIO, 1 if
 * any does not (or has no ink), 2 on bad usage or bad input. The hidden
 *   contrast --make-test-image OUT.png WIDTH HEIGHT BG_HEX INK_HEX
 * draws anti-aliased block glyphs in the left half of an image whose right
 * half is plain background, so the self-test needs no image tools.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <SDL.h>
#include <SDL_image.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_BELOW 1
#define EXIT_BAD_INPUT 2

/* Far beyond any kiosk screen, and small enough that x + w can never
 * overflow an int. */
#define COORD_LIMIT 1000000L
#define LINE_CAP 4096
/* Fewer stand-out pixels than this is a speck or a stray edge, not text. */
#define MIN_INK_PIXELS 6
#define INK_VISIBLE_CONTRAST 1.5
/* Anti-aliased edges blend ink into the background; only pixels this far
 * up from the background towards the strongest one are stroke cores. */
#define INK_CORE_FRACTION 0.6
#define TEST_IMAGE_MIN_W 40L
#define TEST_IMAGE_MIN_H 24L
#define TEST_IMAGE_MAX 4096L

struct srgb_table {
    double linear[256];
};

struct text {
    long line;
    int x, y, w, h; /* clipped to the image */
    char *label;
};

struct text_list {
    struct text *items;
    size_t count, cap;
};

struct measurement {
    bool has_ink;
    double ratio;
    uint32_t ink, background;
};

static void usage(FILE *out)
{
    fputs("usage: contrast SHOT.png TEXTS.tsv MIN_RATIO\n"
          "  TEXTS.tsv: x<TAB>y<TAB>w<TAB>h<TAB>label per line, # for comments\n"
          "  exit 0 if every text reaches MIN_RATIO, 1 if not, 2 on bad input\n",
          out);
}

static int bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int bad(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("contrast: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXIT_BAD_INPUT;
}

static void srgb_table_init(struct srgb_table *t)
{
    /* 0.04045 is the sRGB standard's knee; WCAG 2.x prints 0.03928, but no
     * 8-bit value falls between the two, so both give the same table. */
    for (int i = 0; i < 256; i++) {
        double v = i / 255.0;
        t->linear[i] = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
    }
}

static double luminance(const struct srgb_table *t, uint32_t rgb)
{
    return 0.2126 * t->linear[(rgb >> 16) & 0xff] + 0.7152 * t->linear[(rgb >> 8) & 0xff] +
           0.0722 * t->linear[rgb & 0xff];
}

static double contrast_of(double la, double lb)
{
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* Strict, so that "12abc", " 12", "" and out-of-range values are all
 * reported instead of being read as something the author did not write. */
static bool parse_long(const char *s, long lo, long hi, long *out)
{
    if (*s != '-' && (*s < '0' || *s > '9'))
        return false;
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static bool parse_hex_colour(const char *s, uint32_t *out)
{
    if (*s == '#')
        s++;
    if (strlen(s) != 6)
        return false;
    uint32_t v = 0;
    for (int i = 0; i < 6; i++) {
        char c = s[i];
        uint32_t d;
        if (c >= '0' && c <= '9')
            d = (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (uint32_t)(c - 'A' + 10);
        else
            return false;
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

/* Labels are echoed into a report that is itself read as UTF-8, so a broken
 * sequence is a broken TSV, not something to pass through. */
static bool valid_utf8(const unsigned char *s)
{
    while (*s) {
        unsigned char c = *s;
        int more;
        uint32_t cp;
        if (c < 0x80) {
            s++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            more = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            more = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            more = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        for (int i = 1; i <= more; i++) {
            if ((s[i] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i] & 0x3f);
        }
        if ((more == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (more == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return false;
        s += more + 1;
    }
    return true;
}

enum read_status { READ_LINE, READ_EOF, READ_TOO_LONG, READ_NUL, READ_ERROR };

/* Our own reader rather than getline, so that a huge or binary file (say
 * /dev/zero given by mistake) is refused after one line instead of being
 * read into memory until the machine runs out. */
static enum read_status read_line(FILE *f, char *buf, size_t cap)
{
    size_t n = 0;
    for (;;) {
        int c = getc(f);
        if (c == EOF) {
            if (ferror(f))
                return READ_ERROR;
            if (n == 0)
                return READ_EOF;
            break;
        }
        if (c == '\n')
            break;
        if (c == '\0')
            return READ_NUL;
        if (n + 1 >= cap)
            return READ_TOO_LONG;
        buf[n++] = (char)c;
    }
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    return READ_LINE;
}

static void text_list_free(struct text_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i].label);
    free(list->items);
    list->items = NULL;
    list->count = list->cap = 0;
}

static bool text_list_push(struct text_list *list, const struct text *t)
{
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 16;
        struct text *items = realloc(list->items, cap * sizeof *items);
        if (!items)
            return false;
        list->items = items;
        list->cap = cap;
    }
    list->items[list->count++] = *t;
    return true;
}

/* Returns 0 and fills *t, or prints file:line: problem and returns 2. The
 * rectangle is clipped here because only the image knows what is visible. */
static int parse_text_line(const char *path, long line_no, char *line, int img_w, int img_h,
                           struct text *t)
{
    static const char *const names[4] = {"x", "y", "width", "height"};
    char *fields[5];
    char *p = line;
    for (int i = 0; i < 4; i++) {
        char *tab = strchr(p, '\t');
        if (!tab)
            return bad("%s:%ld: expected x<TAB>y<TAB>w<TAB>h<TAB>label, found %d field%s", path,
                       line_no, i + 1, i == 0 ? "" : "s");
        *tab = '\0';
        fields[i] = p;
        p = tab + 1;
    }
    fields[4] = p;

    long v[4];
    for (int i = 0; i < 4; i++) {
        if (!parse_long(fields[i], -COORD_LIMIT, COORD_LIMIT, &v[i]))
            return bad("%s:%ld: %s is not a whole number from %ld to %ld: \"%.40s\"", path, line_no,
                       names[i], -COORD_LIMIT, COORD_LIMIT, fields[i]);
    }
    for (int i = 2; i < 4; i++) {
        if (v[i] <= 0)
            return bad("%s:%ld: %s must be positive, got %ld", path, line_no, names[i], v[i]);
    }
    if (fields[4][0] == '\0')
        return bad("%s:%ld: missing label after the fourth tab", path, line_no);
    if (!valid_utf8((const unsigned char *)fields[4]))
        return bad("%s:%ld: label is not valid UTF-8", path, line_no);

    long x0 = v[0] > 0 ? v[0] : 0, y0 = v[1] > 0 ? v[1] : 0;
    long x1 = v[0] + v[2] < img_w ? v[0] + v[2] : img_w;
    long y1 = v[1] + v[3] < img_h ? v[1] + v[3] : img_h;
    if (x1 <= x0 || y1 <= y0)
        return bad("%s:%ld: rectangle %ld %ld %ld %ld lies outside the %dx%d image", path, line_no,
                   v[0], v[1], v[2], v[3], img_w, img_h);
    /* Partly off-screen text is worth knowing about, but still measurable. */
    if (v[0] < 0 || v[1] < 0 || v[0] + v[2] > img_w || v[1] + v[3] > img_h)
        fprintf(stderr, "contrast: %s:%ld: rectangle %ld %ld %ld %ld clipped to the %dx%d image\n",
                path, line_no, v[0], v[1], v[2], v[3], img_w, img_h);

    t->line = line_no;
    t->x = (int)x0;
    t->y = (int)y0;
    t->w = (int)(x1 - x0);
    t->h = (int)(y1 - y0);
    t->label = strdup(fields[4]);
    if (!t->label)
        return bad("%s:%ld: out of memory", path, line_no);
    return 0;
}

/* Every line is checked before anything is measured, so a bad file never
 * leaves half a report on stdout. */
static int load_texts(const char *path, int img_w, int img_h, struct text_list *list)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return bad("%s: %s", path, strerror(errno));
    char buf[LINE_CAP];
    long line_no = 0;
    int status = 0;
    while (status == 0) {
        enum read_status rs = read_line(f, buf, sizeof buf);
        if (rs == READ_EOF)
            break;
        line_no++;
        if (rs == READ_ERROR)
            status = bad("%s:%ld: %s", path, line_no, strerror(errno));
        else if (rs == READ_NUL)
            status = bad("%s:%ld: NUL byte; not a text file", path, line_no);
        else if (rs == READ_TOO_LONG)
            status = bad("%s:%ld: line longer than %d bytes", path, line_no, LINE_CAP - 1);
        else if (buf[0] == '\0' || buf[0] == '#')
            continue;
        else {
            struct text t;
            status = parse_text_line(path, line_no, buf, img_w, img_h, &t);
            if (status == 0 && !text_list_push(list, &t)) {
                free(t.label);
                status = bad("%s:%ld: out of memory", path, line_no);
            }
        }
    }
    fclose(f);
    if (status == 0 && list->count == 0)
        status = bad("%s: no texts to measure (only comments or blank lines)", path);
    return status;
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static size_t run_end(const uint32_t *px, size_t n, size_t i)
{
    size_t j = i;
    while (j < n && px[j] == px[i])
        j++;
    return j;
}

/* Only colour counts matter, never positions, so the pixels are sorted and
 * every question becomes a walk over runs of one colour. Ties go to the
 * lowest colour value so that results never depend on qsort's order. */
static bool measure(const SDL_Surface *shot, const struct srgb_table *lut, const struct text *t,
                    struct measurement *m)
{
    size_t n = (size_t)t->w * (size_t)t->h;
    uint32_t *px = malloc(n * sizeof *px);
    if (!px)
        return false;
    const unsigned char *base = shot->pixels;
    for (int row = 0; row < t->h; row++) {
        const unsigned char *src =
            base + (size_t)(t->y + row) * (size_t)shot->pitch + (size_t)t->x * 4;
        memcpy(px + (size_t)row * (size_t)t->w, src, (size_t)t->w * 4);
    }
    /* Screenshots are opaque; alpha would only split one colour in two. */
    for (size_t i = 0; i < n; i++)
        px[i] &= 0xffffff;
    qsort(px, n, sizeof *px, compare_u32);

    uint32_t bg = px[0];
    size_t bg_count = 0;
    for (size_t i = 0, j; i < n; i = j) {
        j = run_end(px, n, i);
        if (j - i > bg_count) {
            bg = px[i];
            bg_count = j - i;
        }
    }
    double bg_lum = luminance(lut, bg);

    double max_contrast = 1.0;
    size_t visible = 0;
    for (size_t i = 0, j; i < n; i = j) {
        j = run_end(px, n, i);
        double c = contrast_of(luminance(lut, px[i]), bg_lum);
        if (c > max_contrast)
            max_contrast = c;
        if (c >= INK_VISIBLE_CONTRAST)
            visible += j - i;
    }

    double core = 1.0 + (max_contrast - 1.0) * INK_CORE_FRACTION;
    uint32_t ink = bg;
    size_t ink_count = 0;
    for (size_t i = 0, j; i < n; i = j) {
        j = run_end(px, n, i);
        if (contrast_of(luminance(lut, px[i]), bg_lum) >= core && j - i > ink_count) {
            ink = px[i];
            ink_count = j - i;
        }
    }
    free(px);

    m->background = bg;
    m->has_ink = visible >= MIN_INK_PIXELS;
    m->ink = ink;
    m->ratio = m->has_ink ? contrast_of(luminance(lut, ink), bg_lum) : 1.0;
    return true;
}

static SDL_Surface *load_shot(const char *path)
{
    SDL_Surface *raw = IMG_Load(path);
    if (!raw) {
        bad("%s: cannot read image: %s", path, IMG_GetError());
        return NULL;
    }
    SDL_Surface *shot = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    if (!shot)
        bad("%s: cannot convert to ARGB8888: %s", path, SDL_GetError());
    return shot;
}

static int report(const char *tsv_path, const char *min_text, double min_ratio,
                  const SDL_Surface *shot, const struct text_list *texts)
{
    struct srgb_table lut;
    srgb_table_init(&lut);
    struct measurement *ms = calloc(texts->count, sizeof *ms);
    if (!ms)
        return bad("out of memory");
    for (size_t i = 0; i < texts->count; i++) {
        if (!measure(shot, &lut, &texts->items[i], &ms[i])) {
            free(ms);
            return bad("%s:%ld: out of memory", tsv_path, texts->items[i].line);
        }
    }

    bool any_measured = false, any_failed = false;
    double lowest = 0.0;
    for (size_t i = 0; i < texts->count; i++) {
        const struct text *t = &texts->items[i];
        const struct measurement *m = &ms[i];
        if (m->has_ink)
            printf("%.2f\tink #%06" PRIx32, m->ratio, m->ink);
        else
            printf("no-ink\tink none");
        printf("\tbackground #%06" PRIx32 "\t%d %d %d %d\t%s\n", m->background, t->x, t->y, t->w,
               t->h, t->label);
        if (m->has_ink && (!any_measured || m->ratio < lowest))
            lowest = m->ratio;
        any_measured = any_measured || m->has_ink;
        any_failed = any_failed || !m->has_ink || m->ratio < min_ratio;
    }
    if (any_measured)
        printf("min ratio %.2f over %zu texts\n", lowest, texts->count);
    else
        printf("min ratio none over %zu texts\n", texts->count);

    /* Four decimals, because the minimum is compared unrounded (as WCAG
     * asks) and 4.4996 must not read as a passing 4.50. */
    for (size_t i = 0; i < texts->count; i++) {
        const struct text *t = &texts->items[i];
        if (!ms[i].has_ink)
            fprintf(stderr, "contrast: %s:%ld: no ink (not drawn, or invisible): %s\n", tsv_path,
                    t->line, t->label);
        else if (ms[i].ratio < min_ratio)
            fprintf(stderr, "contrast: %s:%ld: ratio %.4f below %s: %s\n", tsv_path, t->line,
                    ms[i].ratio, min_text, t->label);
    }
    free(ms);

    if (fflush(stdout) != 0 || ferror(stdout))
        return bad("cannot write the report: %s", strerror(errno));
    return any_failed ? EXIT_BELOW : 0;
}

static int run_check(const char *png, const char *tsv, const char *min_text)
{
    char *end = NULL;
    errno = 0;
    double min_ratio = strtod(min_text, &end);
    if (errno != 0 || end == min_text || *end != '\0' || !(min_ratio >= 1.0 && min_ratio <= 21.0))
        return bad("MIN_RATIO must be a number from 1 to 21, got \"%.40s\"", min_text);

    SDL_Surface *shot = load_shot(png);
    if (!shot)
        return EXIT_BAD_INPUT;
    struct text_list texts = {0};
    int status = load_texts(tsv, shot->w, shot->h, &texts);
    if (status == 0) {
        if (SDL_LockSurface(shot) != 0)
            status = bad("%s: cannot lock surface: %s", png, SDL_GetError());
        else {
            status = report(tsv, min_text, min_ratio, shot, &texts);
            SDL_UnlockSurface(shot);
        }
    }
    text_list_free(&texts);
    SDL_FreeSurface(shot);
    return status;
}

static double overlap(double a0, double a1, double b0, double b1)
{
    double lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
    return hi > lo ? hi - lo : 0.0;
}

/* A stem and a crossbar per 12x16 cell, with edges on half and quarter
 * pixels: box-filtered coverage then gives the same blended fringe, in a
 * few different strengths, that SDL_ttf puts around real glyphs. */
static double glyph_coverage(int px, int py)
{
    static const double bars[2][4] = {{2.5, 0.5, 5.5, 15.5}, {5.5, 6.75, 10.25, 9.0}};
    double cover = 0.0;
    for (int i = 0; i < 2; i++)
        cover += overlap(px, px + 1.0, bars[i][0], bars[i][2]) *
                 overlap(py, py + 1.0, bars[i][1], bars[i][3]);
    return cover < 1.0 ? cover : 1.0;
}

static uint32_t blend(uint32_t bg, uint32_t ink, double cover)
{
    uint32_t out = 0xff000000u;
    for (int shift = 16; shift >= 0; shift -= 8) {
        double b = (bg >> shift) & 0xff, k = (ink >> shift) & 0xff;
        out |= (uint32_t)lround(b + (k - b) * cover) << shift;
    }
    return out;
}

static int make_test_image(int argc, char **argv)
{
    long w, h;
    uint32_t bg, ink;
    if (argc != 7)
        return bad("usage: contrast --make-test-image OUT.png WIDTH HEIGHT BG_HEX INK_HEX");
    if (!parse_long(argv[3], TEST_IMAGE_MIN_W, TEST_IMAGE_MAX, &w) ||
        !parse_long(argv[4], TEST_IMAGE_MIN_H, TEST_IMAGE_MAX, &h))
        return bad("WIDTH must be %ld to %ld and HEIGHT %ld to %ld", TEST_IMAGE_MIN_W,
                   TEST_IMAGE_MAX, TEST_IMAGE_MIN_H, TEST_IMAGE_MAX);
    if (!parse_hex_colour(argv[5], &bg) || !parse_hex_colour(argv[6], &ink))
        return bad("colours must be #rrggbb, got \"%.20s\" and \"%.20s\"", argv[5], argv[6]);

    SDL_Surface *img =
        SDL_CreateRGBSurfaceWithFormat(0, (int)w, (int)h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!img)
        return bad("cannot create a %ldx%ld image: %s", w, h, SDL_GetError());
    SDL_LockSurface(img);
    unsigned char *base = img->pixels;
    for (int y = 0; y < (int)h; y++) {
        for (int x = 0; x < (int)w; x++) {
            double cover = 0.0;
            /* Glyph lines 20 px apart inside a 4 px margin, left half only,
             * so the right half is a known pure-background area. */
            int gx = x - 4, gy = y - 4;
            if (gx >= 0 && gy >= 0 && 4 + (gx / 12 + 1) * 12 <= w / 2 &&
                4 + gy / 20 * 20 + 16 <= h - 4)
                cover = glyph_coverage(gx % 12, gy % 20);
            uint32_t c = blend(bg, ink, cover);
            memcpy(base + (size_t)y * (size_t)img->pitch + (size_t)x * 4, &c, 4);
        }
    }
    SDL_UnlockSurface(img);
    int status = IMG_SavePNG(img, argv[2]) == 0 ? 0 : bad("%s: %s", argv[2], IMG_GetError());
    SDL_FreeSurface(img);
    return status;
}

int main(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        usage(stdout);
        return 0;
    }
    bool make = argc >= 2 && !strcmp(argv[1], "--make-test-image");
    if (!make && argc != 4) {
        usage(stderr);
        return EXIT_BAD_INPUT;
    }
    /* No SDL_Init: surfaces and file I/O need no subsystem, and a test
     * machine may have no display at all. */
    IMG_Init(IMG_INIT_PNG);
    int status = make ? make_test_image(argc, argv) : run_check(argv[1], argv[2], argv[3]);
    IMG_Quit();
    SDL_Quit();
    return status;
}
