package io.herald.api;

import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * The bounds every JSON parser of the API works within, so that no body, however it is built, costs more than its
 * size: nesting depth, the length of one string and one number, and the whole document. The request size limit
 * already bounds the document; these bound what a parser builds from it (a tree 10,000 levels deep, a string
 * decoded from megabytes of escapes).
 */
final class JsonLimits {
    /** Far deeper than any request of the API (two levels) or a sensible JSON payload needs. */
    static final int MAX_NESTING_DEPTH = 64;
    /** The longest string: a payload of the hard maximum size in Base64, with room to spare. */
    static final int MAX_STRING_LENGTH = (ApiSettings.HARD_MAX_PAYLOAD_BYTES / 3 + 1) * 4 + 1024;
    /** No request is parsed beyond this, whatever --max-request-bytes says (ApiSettings refuses more). */
    static final long MAX_DOCUMENT_BYTES = 64L * 1024 * 1024;
    /** Digits of one number: no field of the API takes more than a 64-bit integer. */
    static final int MAX_NUMBER_LENGTH = 100;

    static final StreamReadConstraints CONSTRAINTS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .maxDocumentLength(MAX_DOCUMENT_BYTES)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .build();

    private JsonLimits() {
    }
}
