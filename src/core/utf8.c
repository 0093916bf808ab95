/* utf8: one decoder for the whole program, so the session, safeguarding,
 * the venue names and central all agree on what text is. */
#include "core/utf8.h"

size_t utf8_decode(const char *text, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)text;
    uint32_t c;
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (p[0] < 0x80) {
        c = p[0];
        n = 1;
    } else if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        n = 2;
        c = p[0] & 0x1Fu;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        n = 3;
        c = p[0] & 0x0Fu;
        if (p[0] == 0xE0)
            lo = 0xA0; /* overlong */
        else if (p[0] == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        n = 4;
        c = p[0] & 0x07u;
        if (p[0] == 0xF0)
            lo = 0x90; /* overlong */
        else if (p[0] == 0xF4)
            hi = 0x8F; /* past U+10FFFF */
    } else {
        return 0;
    }
    if (n > 1 && (p[1] < lo || p[1] > hi))
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3Fu);
    }
    if (cp)
        *cp = c;
    return n;
}

bool utf8_plain_text(const char *s, size_t min_chars, size_t max_chars)
{
    size_t count = 0;
    while (s && *s) {
        uint32_t c;
        size_t n = utf8_decode(s, &c);
        if (n == 0 || c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029)
            return false;
        s += n;
        count++;
    }
    return s && count >= min_chars && count <= max_chars;
}
