package io.github.wardops.ward.snmp.poller.internal;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.snmp.SnmpOid;
import io.github.wardops.ward.snmp.poller.VendorTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vendor templates in use: the built-in ones from the jar, overridden by vendor name with
 * the user's. Finds a device's vendor by the longest sysObjectID prefix. Immutable and thread-safe.
 */
public final class TemplateCatalog {
    private static final List<String> BUILT_IN = List.of("cisco", "fortinet", "juniper", "hp-aruba", "mikrotik",
            "hikvision", "net-snmp", "windows");
    private static volatile List<VendorTemplate> builtIn;

    private final Map<String, VendorTemplate> byVendor;

    /**
     * Builds the catalog.
     *
     * @param overrides user templates, replacing built-in ones of the same vendor
     */
    public TemplateCatalog(List<VendorTemplate> overrides) {
        Map<String, VendorTemplate> m = new LinkedHashMap<>();
        for (VendorTemplate t : builtInTemplates()) {
            m.put(t.vendor(), t);
        }
        for (VendorTemplate t : overrides) {
            m.put(t.vendor(), t);
        }
        byVendor = java.util.Collections.unmodifiableMap(m);   // keeps file order for selected()
    }

    /**
     * The templates in the jar, parsed once.
     *
     * @return the templates
     */
    public static List<VendorTemplate> builtInTemplates() {
        List<VendorTemplate> b = builtIn;
        if (b == null) {
            List<VendorTemplate> list = new ArrayList<>();
            for (String name : BUILT_IN) {
                String file = "templates/" + name + ".tmpl";
                try (InputStream in = TemplateCatalog.class.getResourceAsStream(file)) {
                    if (in == null) {
                        throw new WardException("built-in SNMP template " + file + " is missing from the jar");
                    }
                    list.add(VendorTemplate.parse(file, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new WardException("cannot read built-in SNMP template " + file, e);
                }
            }
            b = List.copyOf(list);
            builtIn = b;
        }
        return b;
    }

    /**
     * The vendor of a device, by the longest matching sysObjectID prefix.
     *
     * @param sysObjectId the device's sysObjectID, or {@code null}
     * @return the template, or {@code null} when none matches
     */
    public VendorTemplate match(SnmpOid sysObjectId) {
        return match(sysObjectId, null);
    }

    /**
     * The vendor of a device, by the longest matching sysObjectID prefix among the templates whose
     * label selector (if any) the device's labels satisfy.
     *
     * @param sysObjectId the device's sysObjectID, or {@code null}
     * @param labels the device's labels, or {@code null} to ignore selectors
     * @return the template, or {@code null} when none matches
     */
    public VendorTemplate match(SnmpOid sysObjectId, Map<String, String> labels) {
        if (sysObjectId == null) {
            return null;
        }
        VendorTemplate best = null;
        int bestLen = -1;
        for (VendorTemplate t : byVendor.values()) {
            if (labels != null && !t.selects(labels)) {
                continue;
            }
            for (SnmpOid p : t.enterprisePrefixes()) {
                if (sysObjectId.startsWith(p) && p.size() > bestLen) {
                    best = t;
                    bestLen = p.size();
                }
            }
        }
        return best;
    }

    /**
     * The templates without {@code match} lines whose label selector a device satisfies.
     *
     * @param labels the device's labels
     * @return the templates, in catalog order; empty when none
     */
    public List<VendorTemplate> selected(Map<String, String> labels) {
        List<VendorTemplate> out = null;
        for (VendorTemplate t : byVendor.values()) {
            if (t.enterprisePrefixes().isEmpty() && t.selects(labels)) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(t);
            }
        }
        return out == null ? List.of() : out;
    }

    /**
     * A template by vendor name.
     *
     * @param vendor the vendor
     * @return the template, or {@code null}
     */
    public VendorTemplate get(String vendor) {
        return byVendor.get(vendor);
    }
}
