using Microsoft.Extensions.Localization;

namespace TaobaoAlliance.Web.Localization;

/// <summary>
/// "1 item", "2 items": English needs a singular that Chinese does not (both keys read the same in the
/// resource), so a count is never shown as "1 items".
/// </summary>
public static class Plurals
{
    public static LocalizedString Count(this IStringLocalizer localizer, long count, string one, string many)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        return localizer[count == 1 ? one : many, count.ToString(System.Globalization.CultureInfo.InvariantCulture)];
    }
}
