using System.Net;
using System.Text.RegularExpressions;

namespace TaobaoAlliance.Testing;

/// <summary>Reading what a page says: its text, its error messages, the value of an input.</summary>
public static partial class PageText
{
    /// <summary>The page's text: tags become spaces, entities are decoded, whitespace is collapsed.</summary>
    public static string Text(string html) => Regex.Replace(WebUtility.HtmlDecode(TagPattern().Replace(html, " ")), "\\s+", " ");

    /// <summary>Every error the page shows (the form's alert and the fields' messages), joined with " | ".</summary>
    public static string Messages(string html) => WebUtility.HtmlDecode(string.Join(" | ",
        MessagePattern().Matches(html).Select(m => TagPattern().Replace(m.Value, " ").Trim())));

    /// <summary>The text of the form's error alert, or "" when there is none.</summary>
    public static string FormErrors(string html) =>
        FormErrorsPattern().Match(html) is { Success: true } match ? Text(match.Groups[1].Value).Trim() : "";

    /// <summary>The value the page put in an input, or null when it has no such input.</summary>
    public static string? InputValue(string html, string name)
    {
        var tag = Regex.Match(html, $"<input\\b[^>]*\\bname=\"{Regex.Escape(name)}\"[^>]*>");
        if (!tag.Success) return null;
        var value = Regex.Match(tag.Value, "\\svalue=\"([^\"]*)\"");
        return value.Success ? WebUtility.HtmlDecode(value.Groups[1].Value) : "";
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();

    [GeneratedRegex("<div class=\"alert alert-danger[^\"]*\"[^>]*>.*?</div>|<span class=\"text-danger small field-validation-error\"[^>]*>.*?</span>", RegexOptions.Singleline)]
    private static partial Regex MessagePattern();

    [GeneratedRegex("<div class=\"alert alert-danger form-errors\"[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex FormErrorsPattern();
}
