using Microsoft.AspNetCore.WebUtilities;

namespace TaobaoAlliance.Web.Admin;

/// <summary>
/// One page of a list: which page, of how many, and the links to the others keeping the list's
/// filters (rendered by the admin area's <c>_Pager</c> partial).
/// </summary>
public sealed record Pager(int Page, int PageSize, int Total, string Path, IReadOnlyDictionary<string, string?> Filters)
{
    public const string PageParameter = "p";

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    /// <summary>The page asked for, kept inside 1..PageCount.</summary>
    public int Current => Math.Clamp(Page, 1, PageCount);

    public int Skip => (Current - 1) * PageSize;

    public string Href(int page) =>
        QueryHelpers.AddQueryString(Path, Filters
            .Where(f => !string.IsNullOrEmpty(f.Value))
            .Append(new(PageParameter, page.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    /// <summary>The page numbers to offer: the first, the last and a window around the current one (0 marks a gap).</summary>
    public IReadOnlyList<int> Window()
    {
        var pages = new SortedSet<int> { 1, PageCount };
        for (var p = Current - 2; p <= Current + 2; p++) if (p >= 1 && p <= PageCount) pages.Add(p);
        var result = new List<int>();
        foreach (var p in pages)
        {
            if (result.Count > 0 && p > result[^1] + 1) result.Add(0);
            result.Add(p);
        }
        return result;
    }
}
