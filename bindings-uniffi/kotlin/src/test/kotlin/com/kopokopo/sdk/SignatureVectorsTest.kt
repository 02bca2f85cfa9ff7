package com.kopokopo.sdk

import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows
import java.io.File
import java.util.Base64

/** The shared signature vectors (tests/vectors/signatures.json), one dynamic test per case. */
class SignatureVectorsTest {
    private fun cases(): List<JSONObject> {
        val file = File(Env.repoRoot, "tests/vectors/signatures.json")
        val doc = JSONObject(file.readText())
        val cases = doc.getJSONArray("cases")
        return (0 until cases.length()).map { cases.getJSONObject(it) }
    }

    @TestFactory
    fun signatureVectors(): List<DynamicTest> {
        val all = cases()
        assertTrue(all.size >= 10, "expected the shared signature vectors, found ${all.size}")
        assertTrue(all.any { it.getBoolean("valid") } && all.any { !it.getBoolean("valid") })
        return all.map { c ->
            dynamicTest(c.getString("name")) {
                val body = Base64.getDecoder().decode(c.getString("body_b64"))
                val key = c.getString("api_key")
                val signature: String? = if (c.isNull("signature")) null else c.getString("signature")
                val valid = c.getBoolean("valid")

                assertEquals(valid, verifySignature(body, signature, key), "verifySignature")
                if (valid) {
                    // A valid signature is the HMAC of exactly these bytes.
                    assertEquals(signature!!.trim().lowercase(), sign(body, key))
                    try {
                        parseWebhook(body, signature, key)
                    } catch (e: KopoKopoException.SignatureInvalid) {
                        throw AssertionError("valid signature refused by parseWebhook", e)
                    } catch (e: KopoKopoException) {
                        // Not a webhook body (e.g. a result): anything but a signature error is fine.
                    }
                } else {
                    val e = assertThrows<KopoKopoException> { parseWebhook(body, signature, key) }
                    assertTrue(
                        e is KopoKopoException.SignatureInvalid ||
                            (e is KopoKopoException.InvalidArgument && e.field == "apiKey"),
                        "unexpected $e",
                    )
                    assertFalse(verifySignature(body, signature, key))
                }
            }
        }
    }
}
