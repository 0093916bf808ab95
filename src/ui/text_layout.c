/* text_layout: paragraph layout for every script the kiosk speaks.
 *
 * SDL_ttf shapes one run at a time and has no font fallback, so this file
 * does what a text engine does above the shaper: it decodes the text once,
 * gives each character a font that has its glyph (digits and punctuation
 * follow their neighbours), asks fribidi for embedding levels and
 * libunibreak for break opportunities, fills lines greedily, then cuts each
 * line into runs of one level and one font, orders them visually (UAX #9
 * rule L2) and draws each run with its direction and script set, so
 * HarfBuzz joins Arabic and forms Bengali conjuncts. fribidi's visual
 * string output is not used: it rewrites Arabic into presentation forms,
 * which fights HarfBuzz. */
#include "ui/text_layout.h"

#include <fribidi.h>
#include <linebreak.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"

typedef struct {
    int start, end; /* character indices */
    FriBidiLevel level;
    FontFamily family;
    int width;
} Run;

typedef struct {
    int start, end; /* characters shown (trailing spaces trimmed) */
    int width, ascent, height;
    Run *runs; /* visual order */
    int run_count;
} Line;

typedef struct {
    const FontSource *fonts;
    const LayoutStyle *style;
    uint32_t *cp;
    int n;
    char *utf8;   /* the text re-encoded (invalid bytes replaced) */
    int *byte_at; /* byte offset of character i in utf8; [n] = length */
    FontFamily *family;
    FriBidiLevel *levels;
    char *breaks;
    Line *lines;
    int line_count, line_capacity;
} Para;

static const char *const SCRIPT_NAMES[FONT_FAMILY_COUNT] = {"Latn", "Latn", "Arab", "Arab", "Beng"};

/* --- decoding --- */

static int decode_one(const unsigned char *s, size_t left, uint32_t *out)
{
    unsigned c = s[0];
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || (size_t)n > left)
        return 0;
    uint32_t v = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    static const uint32_t MIN[] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < MIN[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *out = v;
    return n;
}

static int encode_one(uint32_t v, char *out)
{
    if (v < 0x80) {
        out[0] = (char)v;
        return 1;
    }
    if (v < 0x800) {
        out[0] = (char)(0xC0 | (v >> 6));
        out[1] = (char)(0x80 | (v & 0x3F));
        return 2;
    }
    if (v < 0x10000) {
        out[0] = (char)(0xE0 | (v >> 12));
        out[1] = (char)(0x80 | ((v >> 6) & 0x3F));
        out[2] = (char)(0x80 | (v & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (v >> 18));
    out[1] = (char)(0x80 | ((v >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((v >> 6) & 0x3F));
    out[3] = (char)(0x80 | (v & 0x3F));
    return 4;
}

static void decode(Para *p, const char *text)
{
    size_t len = strlen(text);
    p->cp = mem_array(len + 1, sizeof *p->cp);
    p->byte_at = mem_array(len + 2, sizeof *p->byte_at);
    p->utf8 = mem_alloc(len * 3 + 4); /* a replaced byte grows to 3 */
    int bytes = 0;
    for (size_t i = 0; i < len;) {
        uint32_t v;
        int k = decode_one((const unsigned char *)text + i, len - i, &v);
        if (k == 0) {
            v = 0xFFFD;
            k = 1;
        }
        p->cp[p->n] = v;
        p->byte_at[p->n] = bytes;
        bytes += encode_one(v, p->utf8 + bytes);
        p->n++;
        i += (size_t)k;
    }
    p->byte_at[p->n] = bytes;
    p->utf8[bytes] = '\0';
}

/* --- fonts --- */

static bool is_arabic(uint32_t c)
{
    return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) ||
           (c >= 0x08A0 && c <= 0x08FF) || (c >= 0xFB50 && c <= 0xFDFF) ||
           (c >= 0xFE70 && c <= 0xFEFF);
}

static bool is_common(uint32_t c)
{
    if (c < 0x80)
        return !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
    return (c >= 0x00A0 && c <= 0x00BF) || c == 0x00D7 || c == 0x00F7 ||
           (c >= 0x2000 && c <= 0x206F) || c == 0x060C || c == 0x061B || c == 0x061F ||
           c == 0x0640 || (c >= 0x0660 && c <= 0x0669) || c == 0x06D4 ||
           (c >= 0x09E6 && c <= 0x09EF) || c == 0x0964 || c == 0x0965 || c == 0xFFFD;
}

static FontFamily natural_family(uint32_t c, const char *language)
{
    if (is_arabic(c))
        return language && strncmp(language, "ur", 2) == 0 ? FONT_URDU : FONT_ARABIC;
    if (c >= 0x0980 && c <= 0x09FF)
        return FONT_BENGALI;
    return FONT_LATIN;
}

static TTF_Font *font_of(const Para *p, FontFamily family)
{
    return p->fonts->font(p->fonts->ctx, family, p->style->px, p->style->bold);
}

static bool has_glyph(const Para *p, FontFamily family, uint32_t c)
{
    TTF_Font *f = font_of(p, family);
    return f && TTF_GlyphIsProvided32(f, c);
}

/* Strong characters take their script's font; common ones (spaces,
 * digits, punctuation) join the run they sit in, so "3 من 12" stays one
 * Arabic run. Any character whose font lacks it goes to the first family
 * that has it. */
static void choose_families(Para *p)
{
    p->family = mem_array((size_t)p->n + 1, sizeof *p->family);
    const char *lang = p->style->language;
    FontFamily base = FONT_LATIN;
    for (int i = 0; i < p->n; i++)
        if (!is_common(p->cp[i])) {
            base = natural_family(p->cp[i], lang);
            break;
        }
    FontFamily current = base;
    for (int i = 0; i < p->n; i++) {
        uint32_t c = p->cp[i];
        FontFamily f = is_common(c) ? current : natural_family(c, lang);
        if (!is_common(c))
            current = f;
        if (c > ' ' && !has_glyph(p, f, c)) {
            static const FontFamily ORDER[] = {FONT_LATIN, FONT_LATIN_WIDE, FONT_ARABIC,
                                               FONT_BENGALI, FONT_URDU};
            for (size_t k = 0; k < sizeof ORDER / sizeof ORDER[0]; k++)
                if (has_glyph(p, ORDER[k], c)) {
                    f = ORDER[k];
                    break;
                }
        }
        p->family[i] = f;
    }
}

/* --- measuring --- */

static bool run_prepare(const Para *p, FontFamily family, FriBidiLevel level, TTF_Font **out)
{
    TTF_Font *f = font_of(p, family);
    if (!f)
        f = font_of(p, FONT_LATIN);
    if (!f)
        return false;
    TTF_SetFontDirection(f, (level & 1) ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
    TTF_SetFontScriptName(f, SCRIPT_NAMES[family]);
    *out = f;
    return true;
}

static char *slice(const Para *p, int start, int end)
{
    return mem_strndup(p->utf8 + p->byte_at[start], (size_t)(p->byte_at[end] - p->byte_at[start]));
}

static int run_width(const Para *p, int start, int end, FontFamily family, FriBidiLevel level)
{
    TTF_Font *f;
    if (start >= end || !run_prepare(p, family, level, &f))
        return 0;
    char *text = slice(p, start, end);
    int w = 0, h = 0;
    if (TTF_SizeUTF8(f, text, &w, &h) != 0)
        w = 0;
    free(text);
    return w;
}

static bool is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x00A0 || c == 0x3000;
}

/* Splits [start, end) into runs of one level and one font. */
static int split_runs(const Para *p, int start, int end, Run *runs)
{
    int count = 0;
    for (int i = start; i < end;) {
        int j = i + 1;
        while (j < end && p->levels[j] == p->levels[i] && p->family[j] == p->family[i])
            j++;
        runs[count] = (Run){i, j, p->levels[i], p->family[i], 0};
        runs[count].width = run_width(p, i, j, p->family[i], p->levels[i]);
        count++;
        i = j;
    }
    return count;
}

static int trim_end(const Para *p, int start, int end)
{
    while (end > start && is_space(p->cp[end - 1]))
        end--;
    return end;
}

/* Width of [start, end); with `trim`, trailing spaces do not count (they
 * hang past the end of a line). */
static int segment_width(const Para *p, int start, int end, bool trim)
{
    if (trim)
        end = trim_end(p, start, end);
    if (end <= start)
        return 0;
    Run *runs = mem_array((size_t)(end - start), sizeof *runs);
    int count = split_runs(p, start, end, runs), w = 0;
    for (int i = 0; i < count; i++)
        w += runs[i].width;
    free(runs);
    return w;
}

static int range_width(const Para *p, int start, int end)
{
    return segment_width(p, start, end, true);
}

/* --- lines --- */

static bool is_mark(uint32_t c)
{
    return (c >= 0x0300 && c <= 0x036F) || (c >= 0x064B && c <= 0x065F) || c == 0x0670 ||
           (c >= 0x0981 && c <= 0x0983) || c == 0x09BC || (c >= 0x09BE && c <= 0x09D7) ||
           (c >= 0x09E2 && c <= 0x09E3) || c == 0x200C || c == 0x200D;
}

static void add_line(Para *p, int start, int end)
{
    if (p->line_count == p->line_capacity) {
        p->line_capacity = p->line_capacity ? p->line_capacity * 2 : 8;
        p->lines = mem_resize(p->lines, (size_t)p->line_capacity, sizeof *p->lines);
    }
    p->lines[p->line_count++] = (Line){.start = start, .end = trim_end(p, start, end)};
}

/* A word wider than the line is cut between characters (never inside a
 * conjunct's marks) rather than overflowing the box. */
static int emergency_break(const Para *p, int start, int end, int wrap)
{
    int best = start + 1;
    for (int i = start + 1; i < end; i++) {
        if (is_mark(p->cp[i]))
            continue;
        if (range_width(p, start, i) > wrap)
            break;
        best = i;
    }
    while (best < end && is_mark(p->cp[best]))
        best++;
    return best;
}

static void break_lines(Para *p, int wrap)
{
    int start = 0;
    while (start < p->n) {
        /* The line grows a segment (break to break) at a time, each
         * measured once: shaping never joins across a break opportunity, so
         * widths add up, and a long typed answer lays out in linear time. */
        int fitted = -1, placed = 0, segment = start;
        for (int i = start; i < p->n; i++) {
            char b = p->breaks[i];
            bool last = i == p->n - 1;
            if (b != LINEBREAK_ALLOWBREAK && b != LINEBREAK_MUSTBREAK && !last)
                continue;
            int end = i + 1;
            bool must = b == LINEBREAK_MUSTBREAK && !last;
            if (wrap > 0 && placed + segment_width(p, segment, end, true) > wrap) {
                if (fitted < 0)
                    fitted = emergency_break(p, start, end, wrap);
                break;
            }
            fitted = end;
            if (must)
                break;
            placed += segment_width(p, segment, end, false);
            segment = end;
        }
        if (fitted < 0)
            fitted = p->n;
        add_line(p, start, fitted);
        start = fitted;
    }
    if (p->line_count == 0)
        add_line(p, 0, 0);
}

/* UAX #9 L2: from the highest level down to the lowest odd one, reverse
 * every stretch of runs at that level or above. */
static void reorder_runs(Run *runs, int count)
{
    int highest = 0, lowest_odd = 255; /* int: 255 is past FriBidiLevel, a signed char */
    for (int i = 0; i < count; i++) {
        if (runs[i].level > highest)
            highest = runs[i].level;
        if ((runs[i].level & 1) && runs[i].level < lowest_odd)
            lowest_odd = runs[i].level;
    }
    for (int level = highest; level >= lowest_odd && level > 0; level--) {
        for (int i = 0; i < count;) {
            if (runs[i].level < level) {
                i++;
                continue;
            }
            int j = i;
            while (j < count && runs[j].level >= level)
                j++;
            for (int a = i, b = j - 1; a < b; a++, b--) {
                Run t = runs[a];
                runs[a] = runs[b];
                runs[b] = t;
            }
            i = j;
        }
    }
}

static void finish_line(Para *p, Line *line)
{
    int count = line->end - line->start;
    line->runs = mem_array((size_t)(count > 0 ? count : 1), sizeof *line->runs);
    line->run_count = count > 0 ? split_runs(p, line->start, line->end, line->runs) : 0;
    reorder_runs(line->runs, line->run_count);
    /* An empty line still has the height of the paragraph's main font. */
    TTF_Font *base = font_of(p, line->run_count ? line->runs[0].family : FONT_LATIN);
    line->ascent = base ? TTF_FontAscent(base) : p->style->px;
    int descent = base ? -TTF_FontDescent(base) : 0;
    for (int i = 0; i < line->run_count; i++) {
        TTF_Font *f = font_of(p, line->runs[i].family);
        if (!f)
            continue;
        line->width += line->runs[i].width;
        if (TTF_FontAscent(f) > line->ascent)
            line->ascent = TTF_FontAscent(f);
        if (-TTF_FontDescent(f) > descent)
            descent = -TTF_FontDescent(f);
    }
    line->height = line->ascent + descent;
}

static void para_free(Para *p)
{
    for (int i = 0; i < p->line_count; i++)
        free(p->lines[i].runs);
    free(p->lines);
    /* The text may be someone's typed answer. */
    if (p->utf8)
        explicit_bzero(p->utf8, (size_t)p->byte_at[p->n]);
    if (p->cp)
        explicit_bzero(p->cp, (size_t)p->n * sizeof *p->cp);
    free(p->utf8);
    free(p->cp);
    free(p->byte_at);
    free(p->family);
    free(p->levels);
    free(p->breaks);
}

static bool para_layout(Para *p, const FontSource *fonts, const char *text,
                        const LayoutStyle *style, int wrap)
{
    memset(p, 0, sizeof *p);
    p->fonts = fonts;
    p->style = style;
    decode(p, text ? text : "");
    choose_families(p);
    int n = p->n;
    FriBidiCharType *types = mem_array((size_t)n + 1, sizeof *types);
    FriBidiBracketType *brackets = mem_array((size_t)n + 1, sizeof *brackets);
    p->levels = mem_array((size_t)n + 1, sizeof *p->levels);
    p->breaks = mem_array((size_t)n + 1, 1);
    FriBidiParType direction = style->rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
    fribidi_get_bidi_types(p->cp, n, types);
    fribidi_get_bracket_types(p->cp, n, types, brackets);
    bool ok = n == 0 ||
              fribidi_get_par_embedding_levels_ex(types, brackets, n, &direction, p->levels) > 0;
    free(types);
    free(brackets);
    if (!ok) {
        log_error("text", "bidi analysis failed");
        return false;
    }
    if (n)
        set_linebreaks_utf32(p->cp, (size_t)n, style->language, p->breaks);
    break_lines(p, wrap);
    for (int i = 0; i < p->line_count; i++)
        finish_line(p, &p->lines[i]);
    return true;
}

static void para_size(const Para *p, int *w, int *h)
{
    *w = *h = 0;
    for (int i = 0; i < p->line_count; i++) {
        if (p->lines[i].width > *w)
            *w = p->lines[i].width;
        *h += p->lines[i].height;
    }
}

bool text_layout_measure(const FontSource *fonts, const char *utf8, const LayoutStyle *style,
                         int wrap_width, int *w, int *h)
{
    Para p;
    bool ok = para_layout(&p, fonts, utf8, style, wrap_width);
    if (ok)
        para_size(&p, w, h);
    para_free(&p);
    return ok;
}

int text_layout_widest_word(const FontSource *fonts, const char *utf8, const LayoutStyle *style)
{
    Para p;
    int widest = 0;
    if (para_layout(&p, fonts, utf8, style, 0)) {
        int start = 0;
        for (int i = 0; i < p.n; i++)
            if (p.breaks[i] == LINEBREAK_ALLOWBREAK || p.breaks[i] == LINEBREAK_MUSTBREAK ||
                i == p.n - 1) {
                int w = range_width(&p, start, i + 1);
                if (w > widest)
                    widest = w;
                start = i + 1;
            }
    }
    para_free(&p);
    return widest;
}

static bool draw_run(const Para *p, const Run *run, SDL_Surface *target, int x, int baseline)
{
    TTF_Font *f;
    if (!run_prepare(p, run->family, run->level, &f))
        return false;
    bool blank = true;
    for (int i = run->start; i < run->end; i++)
        blank = blank && is_space(p->cp[i]);
    /* SDL_ttf refuses text with no ink or no width (spaces; a typed
     * zero-width space, joiner or direction mark); the width is kept. */
    if (blank || run->width <= 0)
        return true;
    char *text = slice(p, run->start, run->end);
    SDL_Surface *s = TTF_RenderUTF8_Blended(f, text, p->style->colour);
    explicit_bzero(text, strlen(text));
    free(text);
    if (!s) {
        log_error("text", "cannot render a run: %s", TTF_GetError());
        return false;
    }
    /* Runs do not overlap, so copying keeps exact alpha at glyph edges. */
    SDL_SetSurfaceBlendMode(s, SDL_BLENDMODE_NONE);
    SDL_Rect dst = {x, baseline - TTF_FontAscent(f), s->w, s->h};
    SDL_BlitSurface(s, NULL, target, &dst);
    SDL_FreeSurface(s);
    return true;
}

bool text_layout_render(const FontSource *fonts, const char *utf8, const LayoutStyle *style,
                        int wrap_width, LayoutTarget target)
{
    Para p;
    bool drawn = false;
    if (!para_layout(&p, fonts, utf8, style, wrap_width))
        goto done;
    int w, h;
    para_size(&p, &w, &h);
    if (w <= 0 || h <= 0)
        goto done;
    SDL_Surface *out = target.begin(target.ctx, w, h);
    if (!out)
        goto done;
    SDL_FillRect(out, NULL,
                 SDL_MapRGBA(out->format, style->colour.r, style->colour.g, style->colour.b, 0));
    int y = 0;
    for (int i = 0; i < p.line_count; i++) {
        const Line *line = &p.lines[i];
        int x = style->align == LAYOUT_ALIGN_CENTER ? (w - line->width) / 2
                : style->rtl                        ? w - line->width
                                                    : 0;
        for (int r = 0; r < line->run_count; r++) {
            draw_run(&p, &line->runs[r], out, x, y + line->ascent);
            x += line->runs[r].width;
        }
        y += line->height;
    }
    drawn = true;
done:
    para_free(&p);
    return drawn;
}
