#include <openssl/evp.h>

/// One-shot SHA-256 through EVP (the SHA256() helper is deprecated in OpenSSL 3).
static inline int ccrypto_sha256(const void *data, size_t count, unsigned char out[32]) {
    unsigned int len = 32;
    return EVP_Digest(data, count, out, &len, EVP_sha256(), NULL);
}
