using System.Text.RegularExpressions;

namespace TaobaoAlliance.Testing;

/// <summary>Reads the antiforgery token a Razor form carries, to post the form as a browser would.</summary>
public static partial class AntiforgeryToken
{
    public static string From(string html) =>
        TryFrom(html) ?? throw new InvalidOperationException("The page has no antiforgery token");

    public static string? TryFrom(string html) =>
        TokenPattern().Match(html) is { Success: true } match ? System.Net.WebUtility.HtmlDecode(match.Groups[1].Value) : null;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
