using TaobaoAlliance.Attribution.Texts;

namespace TaobaoAlliance.Attribution.Commissions;

/// <summary>A subsidy programme running when an order is paid: its bonus, and the one category it is limited to, if any.</summary>
public sealed record SubsidyTerms(long ProgrammeId, string Name, int BonusBp, int? CategoryId);

/// <summary>The programme that applies to a line and the bonus it would add before its cap.</summary>
public sealed record SubsidyChoice(SubsidyTerms Terms, Money Wanted);

/// <summary>
/// Which platform-funded bonus a line gets (product.md, subsidy programmes): the best bonus among the
/// programmes running for the item's category, never more than is left under that programme's cap.
/// </summary>
public static class SubsidyRules
{
    /// <summary>
    /// The programme with the highest bonus among <paramref name="running"/> that covers <paramref name="categoryId"/>
    /// (a programme without a category covers all), or null when none does or the webmaster share earns nothing.
    /// </summary>
    public static SubsidyChoice? Choose(IEnumerable<SubsidyTerms> running, int categoryId, Money webmasterShare)
    {
        if (webmasterShare.Fen <= 0) return null;
        var best = running.Where(p => p.CategoryId is null || p.CategoryId == categoryId).OrderByDescending(p => p.BonusBp).FirstOrDefault();
        return best is null ? null : new(best, CommissionCalculator.Bonus(webmasterShare, best.BonusBp));
    }

    /// <summary>What the programme grants: the bonus wanted, limited by what is left under its cap.</summary>
    public static Money Granted(Money wanted, long capFen, long spentFen) => new(Math.Min(wanted.Fen, Math.Max(0, capFen - spentFen)));

    /// <summary>The sentence the commission's explanation gains, saying when the cap limited the bonus.</summary>
    public static string Explanation(SubsidyChoice choice, Money granted) => " " + SubsidyPhrase(choice, granted).English();

    /// <summary><see cref="Explanation"/> as a phrase.</summary>
    public static Phrase SubsidyPhrase(SubsidyChoice choice, Money granted)
    {
        ArgumentNullException.ThrowIfNull(choice);
        return new(granted < choice.Wanted ? PhraseBook.SubsidyCapped : PhraseBook.Subsidy,
            choice.Terms.Name, new Rate(choice.Terms.BonusBp).ToString(), granted.ToString());
    }
}
