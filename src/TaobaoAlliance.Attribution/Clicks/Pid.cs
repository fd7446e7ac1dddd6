using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace TaobaoAlliance.Attribution.Clicks;

/// <summary>
/// A placement id, <c>mm_{webmaster}_{site}_{zone}</c>: who placed a long link, on which site and zone.
/// Only the canonical form parses (positive decimal ids, no signs, spaces or leading zeros), so a PID
/// has exactly one spelling and <see cref="ToString"/> gives it back.
/// </summary>
public sealed record Pid(long WebmasterId, long SiteId, long ZoneId)
{
    private const string Prefix = "mm_";

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Pid? pid)
    {
        pid = null;
        // Three 19-digit ids and the separators at most; anything longer is not a PID.
        if (text is null || text.Length > 64 || !text.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var parts = text[Prefix.Length..].Split('_');
        if (parts.Length != 3
            || !TryParseId(parts[0], out var webmaster)
            || !TryParseId(parts[1], out var site)
            || !TryParseId(parts[2], out var zone))
        {
            return false;
        }
        pid = new Pid(webmaster, site, zone);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{WebmasterId}_{SiteId}_{ZoneId}");

    private static bool TryParseId(string part, out long id) =>
        long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0 && part[0] != '0';
}
