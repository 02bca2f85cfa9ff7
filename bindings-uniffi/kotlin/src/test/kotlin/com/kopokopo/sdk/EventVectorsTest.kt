package com.kopokopo.sdk

import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows
import java.io.File
import java.math.BigDecimal

/**
 * The shared webhook/result vectors (tests/vectors/events.json): each body is
 * signed here, parsed through the bindings, and the normalised `json` must
 * contain `expect` (subset comparison, tests/vectors/README.md).
 */
class EventVectorsTest {
    private val key = "event-vectors-key"

    @TestFactory
    fun eventVectors(): List<DynamicTest> {
        val doc = JSONObject(File(Env.repoRoot, "tests/vectors/events.json").readText())
        val cases = doc.getJSONArray("cases").let { a -> (0 until a.length()).map { a.getJSONObject(it) } }
        assertTrue(cases.size >= 10, "expected the shared event vectors, found ${cases.size}")
        return cases.map { c ->
            dynamicTest(c.getString("name")) {
                val body = if (c.has("fixture")) fixture(c.getString("fixture")) else c.getString("body").toByteArray()
                val sig = sign(body, key)
                // The normalised JSON text, and the typed parse of the same body.
                val (parse, typed) = when (c.getString("kind")) {
                    "webhook" -> Pair({ parseWebhookJson(body, sig, key) }, { parseWebhook(body, sig, key) as Any })
                    "result" -> Pair({ parseResultJson(body, sig, key) }, { parseResult(body, sig, key) as Any })
                    else -> throw AssertionError("unknown kind ${c.getString("kind")}")
                }
                if (c.has("expect_error")) {
                    val e = assertThrows<KopoKopoException> { parse() }
                    assertEquals(c.getString("expect_error"), KopoKopo.code(e))
                    // The typed entry point refuses the same body with the same code.
                    assertEquals(c.getString("expect_error"), assertThrows<KopoKopoException> { typed() }.code)
                } else {
                    val actual = JSONObject(parse())
                    assertSubset(c.get("expect"), actual, "$")
                    typed() // parses as well
                }
            }
        }
    }

    private fun assertSubset(expected: Any?, actual: Any?, path: String) {
        when (expected) {
            is JSONObject -> {
                assertTrue(actual is JSONObject, "$path: expected an object, got $actual")
                val a = actual as JSONObject
                for (k in expected.keySet()) {
                    assertTrue(a.has(k), "$path: missing key `$k` in $a")
                    assertSubset(expected.get(k), a.get(k), "$path.$k")
                }
            }
            is JSONArray -> {
                assertTrue(actual is JSONArray, "$path: expected an array, got $actual")
                val a = actual as JSONArray
                assertEquals(expected.length(), a.length(), "$path: array length")
                for (i in 0 until expected.length()) assertSubset(expected.get(i), a.get(i), "$path[$i]")
            }
            is Number -> {
                assertTrue(actual is Number, "$path: expected a number, got $actual")
                assertEquals(0, BigDecimal(expected.toString()).compareTo(BigDecimal(actual.toString())), "$path: $expected != $actual")
            }
            else -> assertEquals(expected, actual, path) // strings, booleans, JSONObject.NULL
        }
    }
}
