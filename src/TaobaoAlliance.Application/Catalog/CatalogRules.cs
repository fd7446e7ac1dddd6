using System.Globalization;
using System.Text.RegularExpressions;
using TaobaoAlliance.Data.Catalog;

namespace TaobaoAlliance.Application.Catalog;

/// <summary>
/// The rules a shop's and an item's fields follow, shared by the seller's forms and the CSV import so
/// that a value refused in one is refused in the other. Limits match the entity configurations.
/// </summary>
public static partial class CatalogRules
{
    public const int SlugMaxLength = 64;
    public const int ShopNameMaxLength = 128;
    public const int ShopDescriptionMaxLength = 500;
    public const int TitleZhMaxLength = 200;
    public const int TitleEnMaxLength = 300;
    public const int ImageUrlMaxLength = 500;
    public const int PlanNameMaxLength = 100;

    /// <summary>The highest rate a seller may set: 90 % (the database checks 0–9000 basis points too).</summary>
    public const decimal MaxRatePercent = 90m;

    /// <summary>¥10,000,000: far above any real price, and far from overflowing a fen amount times a quantity.</summary>
    public const decimal MaxPriceYuan = 10_000_000m;

    /// <summary>Lowercase letters and digits in words joined by single hyphens: safe in a URL and easy to read aloud.</summary>
    public static bool IsValidSlug(string? slug) => slug is { Length: > 0 and <= SlugMaxLength } && SlugPattern().IsMatch(slug);

    /// <summary>True when the amount has no more than two decimal places (fen for yuan, basis points for percent).</summary>
    public static bool HasAtMostTwoDecimals(decimal value) => decimal.Round(value, 2) == value;

    public static bool IsValidRatePercent(decimal percent) => percent is >= 0m and <= MaxRatePercent && HasAtMostTwoDecimals(percent);

    public static bool IsValidPriceYuan(decimal yuan) => yuan is >= 0m and <= MaxPriceYuan && HasAtMostTwoDecimals(yuan);

    /// <summary>
    /// An image address may be absolute http(s) or a path on this site ("/img/…"). A protocol-relative
    /// "//host" or a backslash path is refused: browsers treat both as another host.
    /// </summary>
    public static bool IsValidImageUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Length > ImageUrlMaxLength || url.Any(char.IsWhiteSpace)) return false;
        if (url.StartsWith('/')) return url.Length == 1 || (url[1] != '/' && url[1] != '\\');
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0 && uri.UserInfo.Length == 0;
    }

    /// <summary>The picture an item without one shows: its category's drawing, as the demo items have.</summary>
    public static string PlaceholderImage(string categorySlug) => $"/img/items/{categorySlug}.svg";

    /// <summary>A rate as the forms and the CSV write it: percent, up to two decimals, invariant ("12.5").</summary>
    public static string PercentText(int basisPoints) => (basisPoints / 100m).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A price as the forms and the CSV write it: yuan with two decimals, invariant ("12.30").</summary>
    public static string YuanText(long fen) => (fen / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>One line of rate history; ItemId null means the shop's general rate, RateBp null means "back to the shop rate".</summary>
    /// <paramref name="userId"/> is null for a change made through the API, by the shop's server.
    public static CommissionRateChange RateChange(long shopId, long? itemId, int? rateBp, DateTimeOffset at, long? userId) =>
        new() { ShopId = shopId, ItemId = itemId, RateBp = rateBp, EffectiveFrom = at, ChangedByUserId = userId };

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}
