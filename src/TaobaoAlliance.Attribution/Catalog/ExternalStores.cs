using System.Globalization;
using System.Net;

namespace TaobaoAlliance.Attribution.Catalog;

/// <summary>
/// The rules of external stores: a shop registers its store's host, its items may carry a product URL on exactly that
/// host, and a click on such an item lands there with <c>alliance_click</c> appended. The landing is built from the
/// stored URL and the stored host only, and checked again when it is built, so nothing a webmaster or shopper sends
/// (and no URL on another host) can become a redirect target.
/// </summary>
public static class ExternalStores
{
    public const int MaxHostLength = 253;
    public const int MaxUrlLength = 1000;

    /// <summary>The query parameter that carries the click id to the store.</summary>
    public const string ClickParameter = "alliance_click";

    /// <summary>
    /// The host as stored (lower case, punycode) from what a seller typed: a bare host name such as
    /// <c>shop.example.com</c> (a URL's host is taken too). Refused: IP addresses, single labels (<c>localhost</c>),
    /// ports, user info and paths beyond <c>/</c>.
    /// </summary>
    public static bool TryNormalizeHost(string? input, out string host)
    {
        host = "";
        if (string.IsNullOrWhiteSpace(input)) return false;
        var text = input.Trim();
        if (!text.Contains("://", StringComparison.Ordinal)) text = "https://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return false;
        if (uri.UserInfo.Length > 0 || !uri.IsDefaultPort || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0) return false;
        if (uri.HostNameType != UriHostNameType.Dns || IPAddress.TryParse(uri.Host, out _)) return false;
        var idn = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (idn.Length is 0 or > MaxHostLength || !idn.Contains('.', StringComparison.Ordinal)) return false;
        host = idn;
        return true;
    }

    /// <summary>
    /// The product URL as stored, when it is an absolute http(s) URL on exactly <paramref name="host"/> (no other host,
    /// no subdomain, no user info), without a fragment, without an <c>alliance_click</c> of its own, and not too long.
    /// </summary>
    public static bool TryNormalizeUrl(string? input, string? host, out string url)
    {
        url = "";
        if (string.IsNullOrWhiteSpace(input) || string.IsNullOrEmpty(host)) return false;
        if (!Uri.TryCreate(input.Trim(), UriKind.Absolute, out var uri) || !IsOnHost(uri, host)) return false;
        var normal = uri.GetLeftPart(UriPartial.Query);
        if (normal.Length > MaxUrlLength || HasClickParameter(uri.Query)) return false;
        url = normal;
        return true;
    }

    /// <summary>
    /// Where a click on an item with an external URL lands: the stored URL with <c>alliance_click</c> (and nothing else)
    /// appended. Null when the URL is not (or no longer) on the shop's registered host: the caller falls back to the
    /// built-in storefront.
    /// </summary>
    public static string? Landing(string? externalUrl, string? host, Guid? clickId)
    {
        if (externalUrl is null || host is null) return null;
        if (!Uri.TryCreate(externalUrl, UriKind.Absolute, out var uri) || !IsOnHost(uri, host) || HasClickParameter(uri.Query)) return null;
        var left = uri.GetLeftPart(UriPartial.Query);
        if (clickId is not { } id) return left;
        var separator = uri.Query.Length == 0 ? "?" : uri.Query == "?" ? "" : "&";
        return string.Create(CultureInfo.InvariantCulture, $"{left}{separator}{ClickParameter}={id:N}");
    }

    /// <summary>The shop's own landing (its home page on the registered host), for a link to the whole shop.</summary>
    public static string? ShopLanding(string? host, Guid? clickId) =>
        host is null || !TryNormalizeHost(host, out var normal) || normal != host ? null : Landing("https://" + host + "/", host, clickId);

    /// <summary>The host of a pasted product URL, as <see cref="TryNormalizeHost"/> stores it, or null.</summary>
    public static string? HostOf(string? pasted)
    {
        if (string.IsNullOrWhiteSpace(pasted) || !Uri.TryCreate(pasted.Trim(), UriKind.Absolute, out var uri)) return null;
        if (uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0 || uri.HostNameType != UriHostNameType.Dns) return null;
        return uri.IdnHost.TrimEnd('.').ToLowerInvariant();
    }

    private static bool IsOnHost(Uri uri, string host) =>
        uri.Scheme is "http" or "https"
        && uri.UserInfo.Length == 0
        && uri.HostNameType == UriHostNameType.Dns
        && uri.IsDefaultPort
        && string.Equals(uri.IdnHost.TrimEnd('.'), host, StringComparison.OrdinalIgnoreCase);

    private static bool HasClickParameter(string query) =>
        query.TrimStart('?').Split('&').Any(p => p.Split('=')[0].Equals(ClickParameter, StringComparison.OrdinalIgnoreCase));
}
