using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace TaobaoAlliance.Application.Sites;

/// <summary>Finds the ownership token in a home page's <c>&lt;meta name="alliance-site-verification" content="…"&gt;</c>.</summary>
public static partial class SiteVerification
{
    public const string MetaName = "alliance-site-verification";

    /// <summary>URL-safe characters of the verification token.</summary>
    private const string TokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>"ta-" and 24 random URL-safe characters: unguessable, and harmless inside an HTML attribute.</summary>
    public static string NewToken() => "ta-" + RandomNumberGenerator.GetString(TokenAlphabet, 24);

    /// <summary>The tag a webmaster pastes into their home page's &lt;head&gt;.</summary>
    public static string MetaTag(string token) => $"<meta name=\"{MetaName}\" content=\"{token}\">";

    /// <summary>True when the page carries a verification meta tag with exactly this token (attributes in any order).</summary>
    public static bool PageCarriesToken(string html, string token) =>
        MetaTags().Matches(html).Any(tag =>
            Attribute(tag.Value, "name") == MetaName && Attribute(tag.Value, "content") == token);

    private static string? Attribute(string tag, string name) =>
        AttributePattern().Matches(tag)
            .Where(m => string.Equals(m.Groups["name"].Value, name, StringComparison.OrdinalIgnoreCase))
            .Select(m => (m.Groups["dq"].Success ? m.Groups["dq"] : m.Groups["sq"].Success ? m.Groups["sq"] : m.Groups["bare"]).Value.Trim())
            .FirstOrDefault();

    [GeneratedRegex(@"<meta\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex MetaTags();

    [GeneratedRegex(@"(?<name>[a-zA-Z-]+)\s*=\s*(?:""(?<dq>[^""]*)""|'(?<sq>[^']*)'|(?<bare>[^\s>]+))")]
    private static partial Regex AttributePattern();
}
