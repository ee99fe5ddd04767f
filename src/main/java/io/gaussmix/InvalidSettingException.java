package io.gaussmix;

/**
 * A builder setting out of range. The message names the setting in API terms ({@code "maxIter must be
 * >= 0, got -1"}); {@link #setting()} gives that name alone, so that a front end can name its own
 * option instead (the CLI's {@code --max-iter}) without parsing the message.
 */
public final class InvalidSettingException extends IllegalArgumentException {
    private final String setting;

    /**
     * @param setting     the builder method's name, e.g. "maxIter"
     * @param requirement what the value must be, e.g. "must be >= 0"
     * @param value       the value given
     */
    public InvalidSettingException(String setting, String requirement, Object value) {
        super(setting + " " + requirement + ", got " + value);
        this.setting = setting;
    }

    /** The setting's API name: "k", "tol", "regCovar", "maxIter", "nInit", "device" or "threads". */
    public String setting() {
        return setting;
    }

    /** The message with the setting named as {@code name} (e.g. "--max-iter must be >= 0, got -1"). */
    public String messageNaming(String name) {
        return name + getMessage().substring(setting.length());
    }
}
