namespace TaobaoAlliance.Data.Settings;

/// <summary>
/// The channel a statement trigger on <c>platform_settings</c> notifies at commit (migration
/// <c>PlatformSettingsNotifications</c>), so every node reloads the admins' overrides, whoever changed them.
/// </summary>
public static class PlatformSettingsTriggers
{
    public const string Channel = "platform_settings";

    /// <summary>
    /// The trigger's payload is its statement's kind (TG_OP); anything else on the channel changed nothing (a marker
    /// someone sends to learn that a listener has heard everything committed before it).
    /// </summary>
    public static bool IsChange(string payload) => payload is "INSERT" or "UPDATE" or "DELETE" or "TRUNCATE";
}
