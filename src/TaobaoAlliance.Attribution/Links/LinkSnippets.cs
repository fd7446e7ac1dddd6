using System.Globalization;
using TaobaoAlliance.Attribution.Clicks;

namespace TaobaoAlliance.Attribution.Links;

/// <summary>Everything a webmaster pastes into their site for one link.</summary>
public sealed record LinkSnippets(string ShortUrl, string LongUrl, string TextLink, string ImageCard)
{
    /// <summary>
    /// The short link, the long link and two HTML snippets, with absolute URLs on <paramref name="origin"/>
    /// (scheme and host of the portal). The title is the seller's text: it is HTML-encoded in the snippets.
    /// </summary>
    /// <remarks>Sub-ids, when given, are appended to both links (escaped), as the click path reads them back.</remarks>
    public static LinkSnippets Build(string code, Pid pid, long itemId, Money price, string imageUrl, Uri origin, string title, SubIds? subIds = null)
    {
        var subs = subIds ?? SubIds.None;
        var shortUrl = subs.AppendTo(ShortUrlOf(code, origin));
        var longUrl = subs.AppendTo(LongUrlOf(pid, itemId, origin));
        var image = Uri.TryCreate(imageUrl, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            ? absolute.AbsoluteUri
            : new Uri(origin, imageUrl).AbsoluteUri;
        var text = Escape(title);
        // rel="sponsored": search engines ask for paid links to be marked so.
        var textLink = $"<a href=\"{Escape(shortUrl)}\" target=\"_blank\" rel=\"sponsored noopener\">{text}</a>";
        var imageCard =
            $"<a class=\"alliance-card\" href=\"{Escape(shortUrl)}\" target=\"_blank\" rel=\"sponsored noopener\">"
            + $"<img src=\"{Escape(image)}\" alt=\"{text}\" width=\"200\" height=\"200\" loading=\"lazy\">"
            + $"<span class=\"alliance-card-title\">{text}</span>"
            + $"<span class=\"alliance-card-price\">{Escape(price.ToString())}</span></a>";
        return new LinkSnippets(shortUrl, longUrl, textLink, imageCard);
    }

    /// <summary>The long link (the zone's PID and the item) on <paramref name="origin"/>: it works before any short link is made.</summary>
    public static string LongUrlOf(Pid pid, long itemId, Uri origin) =>
        new Uri(origin, string.Create(CultureInfo.InvariantCulture, $"/c?pid={pid}&item={itemId}")).AbsoluteUri;

    /// <summary>The short link of a code on <paramref name="origin"/>.</summary>
    public static string ShortUrlOf(string code, Uri origin) => new Uri(origin, "/c/" + code).AbsoluteUri;

    /// <summary>
    /// Escapes the five HTML-sensitive characters and nothing else, so Chinese titles and the ¥ sign stay
    /// readable in the snippet the webmaster pastes (WebUtility would write ¥ as &amp;#165;).
    /// </summary>
    private static string Escape(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);
}
