/* token: device and admin bearer tokens. A token is 32 random bytes shown
 * once, at `device add`; central keeps only its BLAKE2b hash, so a copy of
 * the database does not let anyone upload or export. A slow password hash
 * is not needed: the token has 256 bits of entropy, nothing to guess.
 *
 * Contract: pure functions over caller buffers; any thread after
 * token_init (libsodium's sodium_init) has succeeded once. */
#ifndef SAYSO_CENTRAL_TOKEN_H
#define SAYSO_CENTRAL_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

enum {
    TOKEN_TEXT_SIZE = 64, /* "sayso_" + 43 base64url characters + NUL, with room */
    TOKEN_HASH_SIZE = 65  /* 32 bytes in hex + NUL */
};

bool token_init(void);
bool token_generate(char out[TOKEN_TEXT_SIZE]);
/* Hashes what a client sent; false when it is not shaped like a token. */
bool token_hash(const char *token, char out[TOKEN_HASH_SIZE]);
/* Hex BLAKE2b-128 of arbitrary bytes: content hashes and ETags. */
void token_content_hash(const void *data, size_t length, char out[33]);

#endif
