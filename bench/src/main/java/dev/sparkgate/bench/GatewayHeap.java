package dev.sparkgate.bench;

import com.sun.tools.attach.VirtualMachine;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * The gateway JVM's heap, read over JMX from the same machine (the Attach API starts the gateway's local management
 * agent; no flag on the gateway needed). Two figures: what stays after a full GC (what the gateway keeps), and the
 * peak of the old generation since the last {@link #resetPeak()} (big strings and arrays are allocated there directly,
 * so it shows what one request made the gateway hold at once; the young generation's peak is its size, whatever ran).
 */
final class GatewayHeap implements AutoCloseable {

    private final JMXConnector connector;
    private final MemoryMXBean memory;
    private final List<MemoryPoolMXBean> oldGen;

    private GatewayHeap(JMXConnector connector, MemoryMXBean memory, List<MemoryPoolMXBean> oldGen) {
        this.connector = connector;
        this.memory = memory;
        this.oldGen = oldGen;
    }

    static GatewayHeap attach(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        MBeanServerConnection server = connector.getMBeanServerConnection();
        MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME,
                MemoryMXBean.class);
        List<MemoryPoolMXBean> oldGen = ManagementFactory.getPlatformMXBeans(server, MemoryPoolMXBean.class).stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP && pool.getName().matches(".*(Old|Tenured).*"))
                .toList();
        return new GatewayHeap(connector, memory, oldGen);
    }

    /** Heap in use after a full collection, in bytes. */
    long retained() {
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    void resetPeak() {
        oldGen.forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The old generation's peak since {@link #resetPeak()}, in bytes. */
    long oldGenPeak() {
        return oldGen.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
    }

    @Override
    public void close() throws Exception {
        connector.close();
    }
}
