using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data.Sites;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Library;
using TaobaoAlliance.Web.Tests.Areas.Webmaster.Sites;

namespace TaobaoAlliance.Web.Tests.Areas.Webmaster;

/// <summary>Arranging webmasters and sites for the sites, library and link tests, and reading their pages.</summary>
public static partial class WebmasterTesting
{



    /// <summary>The library's rows in the order shown.</summary>
    public static IReadOnlyList<long> ItemIds(string html) =>
        [.. RowPattern().Matches(html).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    [GeneratedRegex("<li class=\"card mb-2 library-item\" data-item-id=\"(\\d+)\"")]
    private static partial Regex RowPattern();
}
