package io.github.wardops.ward.simulator.snmp;

/** How a simulated device answers. */
public enum SimulatedBehaviour {
    /** Answers correctly. */
    NORMAL,
    /** Never answers. */
    SILENT,
    /** Answers after the device's delay. */
    SLOW,
    /** Answers every request with bytes that are not SNMP. */
    GARBAGE,
    /** Answers with the first half of a correct response. */
    TRUNCATED,
    /** Answers GETs with a different OID than asked. */
    WRONG_VARBINDS,
    /** Answers GETNEXT/GETBULK with the OID asked, so a naive walker loops forever. */
    NON_INCREASING_WALK
}
