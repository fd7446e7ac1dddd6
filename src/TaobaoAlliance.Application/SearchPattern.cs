namespace TaobaoAlliance.Application;

/// <summary>Turns what a user typed into an ILIKE pattern that matches it literally anywhere in the text.</summary>
public static class SearchPattern
{
    public static string Containing(string text) =>
        "%" + text.Trim()
            .Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
