using System.Globalization;

namespace TaobaoAlliance.Web.Store;

/// <summary>
/// Times on the storefront are shown as the marketplace's wall clock, China Standard Time (UTC+8,
/// no daylight saving), whatever the server's time zone.
/// </summary>
public static class StoreTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static string Format(DateTimeOffset time) => time.ToOffset(Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>For the <c>datetime</c> attribute of <c>&lt;time&gt;</c>.</summary>
    public static string Iso(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
