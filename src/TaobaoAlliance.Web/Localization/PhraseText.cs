using System.Globalization;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Attribution.Texts;
using TaobaoAlliance.Web.Admin;

namespace TaobaoAlliance.Web.Localization;

/// <summary>
/// Stored phrases (<see cref="Phrase"/>: attribution notes, commission formulas) in the reader's language. The English
/// template of a phrase is its key in the shared resource; its arguments are filled in as they were kept, a nested
/// phrase or an invalid-click reason translated too. A row written before phrases were kept shows its English text as
/// written, and a code this version does not know reads in English.
/// </summary>
public static class PhraseText
{
    /// <summary>The phrases kept in <paramref name="json"/> in the reader's language, or <paramref name="legacy"/> when none were kept.</summary>
    public static string Render(string? json, string legacy, IStringLocalizer localizer) =>
        Phrases.FromJson(json) is { Count: > 0 } phrases ? Render(phrases, localizer) : legacy;

    public static string Render(IEnumerable<Phrase> phrases, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        // Chinese sentences end in "。" and follow each other without a space.
        var separator = CultureInfo.CurrentUICulture.IsChinese() ? "" : " ";
        return string.Join(separator, phrases.Select(p => Render(p, localizer)));
    }

    public static string Render(Phrase phrase, IStringLocalizer localizer)
    {
        ArgumentNullException.ThrowIfNull(phrase);
        ArgumentNullException.ThrowIfNull(localizer);
        if (!PhraseBook.Knows(phrase.Code)) return phrase.English();
        var args = phrase.Args.Select(a => Arg(a, localizer)).ToArray<object>();
        return localizer[PhraseBook.Template(phrase.Code), args];
    }

    private static string Arg(string arg, IStringLocalizer localizer)
    {
        if (arg.StartsWith(Phrase.PhraseArg, StringComparison.Ordinal))
        {
            var code = arg[Phrase.PhraseArg.Length..];
            return PhraseBook.Knows(code) ? localizer[PhraseBook.Template(code)] : code;
        }
        return arg.StartsWith(Phrase.ReasonArg, StringComparison.Ordinal) ? AdminLabels.Reason(arg[Phrase.ReasonArg.Length..], localizer) : arg;
    }
}
