package io.gaussmix.bench.jmh.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The results file of the comparison: one JSON object per line and per (peer, N, D, K), appended as
 * each measurement ends, so an interrupted run resumes where it stopped. The last line for a key wins.
 */
final class Results {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Results() {
    }

    static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                try {
                    out.add(MAPPER.readTree(line));
                } catch (IOException e) {
                    System.err.println("ignoring a malformed line in " + file + ": " + line);
                }
            }
        }
        return out;
    }

    /** The latest line for a peer and size, or null. */
    static JsonNode find(List<JsonNode> all, String peer, int n, int d, int k) {
        JsonNode hit = null;
        for (JsonNode r : all) {
            if (peer.equals(r.path("peer").asText()) && r.path("n").asInt() == n && r.path("d").asInt() == d
                    && r.path("k").asInt() == k) {
                hit = r;
            }
        }
        return hit;
    }

    static synchronized void append(Path file, ObjectNode line) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, MAPPER.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static ObjectNode line(String peer, String version, int n, int d, int k, String status) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("peer", peer);
        o.put("version", version);
        o.put("n", n);
        o.put("d", d);
        o.put("k", k);
        o.put("status", status);
        o.put("time", java.time.Instant.now().toString());
        return o;
    }

    static void putNumber(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }
}
