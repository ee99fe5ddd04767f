package io.gaussmix.backend.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Loads the OpenCL ICD loader ({@code libOpenCL.so.1}) before JOCL looks for it. Without it,
 * JOCL's native code prints "Could not load libOpenCL.so.1, error ..." (and the same for
 * {@code libOpenCL.so}) straight to the process's stdout, where no Java logging setting reaches
 * and where it would mix with a user's output. So on Linux the provider first searches where the
 * dynamic linker would (LD_LIBRARY_PATH, /etc/ld.so.cache, the default directories) and loads the
 * library itself: found, JOCL's own dlopen then finds it already loaded; not found or not
 * loadable, OpenCL is unavailable with that one-line reason and JOCL is never touched.
 */
final class OpenClLibrary {
    static final String SONAME = "libOpenCL.so.1";
    private static final Path LD_SO_CACHE = Path.of("/etc/ld.so.cache");

    private OpenClLibrary() {
    }

    /** Loads the library; returns null when it is loaded (or this is not Linux), otherwise why not. */
    static String preload() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return null;   // elsewhere JOCL's search is quiet enough and other names apply
        }
        byte[] cache;
        try {
            cache = Files.isReadable(LD_SO_CACHE) ? Files.readAllBytes(LD_SO_CACHE) : new byte[0];
        } catch (IOException e) {
            cache = new byte[0];
        }
        String firstError = null;
        for (Path p : candidates(System.getenv("LD_LIBRARY_PATH"), cache, System.getProperty("os.arch", ""))) {
            if (!Files.isRegularFile(p)) {
                continue;
            }
            if (!isElf(p)) {
                // Checked first: the JVM warns on stderr about the stack guard of any non-ELF file it is asked to load.
                firstError = firstError != null ? firstError : p + " is not an ELF shared library";
                continue;
            }
            try {
                System.load(p.toString());
                return null;
            } catch (UnsatisfiedLinkError e) {
                if (firstError == null) {
                    firstError = e.getMessage();
                }
            }
        }
        return firstError != null ? SONAME + " could not be loaded (" + firstError + ")"
                : SONAME + " not found (searched LD_LIBRARY_PATH, /etc/ld.so.cache and the default library directories)";
    }

    private static boolean isElf(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Where the dynamic linker would look for {@link #SONAME}, in its order, generously (a path it
     * would not try costs nothing: loading it by path only makes JOCL's lookup succeed).
     *
     * @param ldLibraryPath the LD_LIBRARY_PATH value, or null
     * @param ldSoCache     the bytes of /etc/ld.so.cache (its paths are NUL-terminated strings), or empty
     * @param arch          os.arch, for the multiarch directories
     */
    static List<Path> candidates(String ldLibraryPath, byte[] ldSoCache, String arch) {
        Set<Path> out = new LinkedHashSet<>();
        if (ldLibraryPath != null) {
            for (String dir : ldLibraryPath.split(":")) {
                if (!dir.isEmpty()) {
                    out.add(Path.of(dir, SONAME));
                }
            }
        }
        for (String s : new String(ldSoCache, StandardCharsets.ISO_8859_1).split("\0")) {
            if (s.startsWith("/") && s.endsWith("/" + SONAME)) {
                out.add(Path.of(s));
            }
        }
        String triplet = multiarch(arch);
        List<String> dirs = new ArrayList<>();
        if (triplet != null) {
            dirs.add("/lib/" + triplet);
            dirs.add("/usr/lib/" + triplet);
        }
        dirs.addAll(List.of("/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib"));
        for (String dir : dirs) {
            out.add(Path.of(dir, SONAME));
        }
        return List.copyOf(out);
    }

    private static String multiarch(String arch) {
        switch (arch) {
            case "amd64": case "x86_64": return "x86_64-linux-gnu";
            case "aarch64": case "arm64": return "aarch64-linux-gnu";
            case "ppc64le": return "powerpc64le-linux-gnu";
            default: return null;
        }
    }
}
