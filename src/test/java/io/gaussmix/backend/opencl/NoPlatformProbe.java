package io.gaussmix.backend.opencl;

import io.gaussmix.backend.Availability;

/** Run in a child JVM with no OpenCL driver visible: prints what the provider reports. */
public final class NoPlatformProbe {
    private NoPlatformProbe() {
    }

    public static void main(String[] args) {
        OpenClProvider provider = new OpenClProvider();
        Availability a = provider.availability();
        System.out.println("available=" + a.available() + " cached=" + (a == provider.availability())
                + " reason=" + a.reason());
    }
}
