/* token: generation and hashing of bearer tokens with libsodium. */
#include "central/token.h"

#include <sodium.h>
#include <string.h>

static const char PREFIX[] = "sayso_";
enum { TOKEN_BYTES = 32 };

bool token_init(void)
{
    return sodium_init() >= 0;
}

bool token_generate(char out[TOKEN_TEXT_SIZE])
{
    unsigned char raw[TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    memcpy(out, PREFIX, sizeof PREFIX - 1);
    sodium_bin2base64(out + sizeof PREFIX - 1, TOKEN_TEXT_SIZE - (sizeof PREFIX - 1), raw,
                      sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    return true;
}

bool token_hash(const char *token, char out[TOKEN_HASH_SIZE])
{
    size_t n = strlen(token);
    if (n < sizeof PREFIX || n >= TOKEN_TEXT_SIZE || strncmp(token, PREFIX, sizeof PREFIX - 1) != 0)
        return false;
    for (size_t i = sizeof PREFIX - 1; i < n; i++) {
        char c = token[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    unsigned char digest[32];
    crypto_generichash(digest, sizeof digest, (const unsigned char *)token, n, NULL, 0);
    sodium_bin2hex(out, TOKEN_HASH_SIZE, digest, sizeof digest);
    return true;
}

void token_content_hash(const void *data, size_t length, char out[33])
{
    unsigned char digest[16];
    crypto_generichash(digest, sizeof digest, data, length, NULL, 0);
    sodium_bin2hex(out, 33, digest, sizeof digest);
}
