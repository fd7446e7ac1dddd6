using TaobaoAlliance.Attribution.Commissions;

namespace TaobaoAlliance.Attribution.Tests.Commissions;

/// <summary>
/// Which subsidy a line gets (product.md, subsidy programmes): the best bonus among the programmes running
/// for the item's category, limited by what is left under that programme's cap.
/// </summary>
public sealed class SubsidyRulesTests
{
    private static readonly SubsidyTerms Everything = new(1, "Everything +10%", 1_000, CategoryId: null);
    private static readonly SubsidyTerms Phones = new(2, "Phones +20%", 2_000, CategoryId: 5);
    private static readonly SubsidyTerms Shoes = new(3, "Shoes +30%", 3_000, CategoryId: 6);
    private static readonly SubsidyTerms[] Running = [Everything, Phones, Shoes];

    [Fact]
    public void The_best_bonus_for_the_items_category_applies() =>
        SubsidyRules.Choose(Running, categoryId: 5, new Money(495)).Should().Be(new SubsidyChoice(Phones, new Money(99)));

    [Fact]
    public void A_programme_without_a_category_covers_every_item() =>
        SubsidyRules.Choose(Running, categoryId: 7, new Money(495)).Should().Be(new SubsidyChoice(Everything, new Money(50)));

    [Fact]
    public void No_programme_for_the_category_means_no_subsidy() =>
        SubsidyRules.Choose([Phones, Shoes], categoryId: 7, new Money(495)).Should().BeNull();

    [Fact]
    public void A_line_whose_webmaster_earns_nothing_gets_no_subsidy() =>
        SubsidyRules.Choose(Running, categoryId: 5, Money.Zero).Should().BeNull();

    [Theory]
    [InlineData(99, 10_000, 0, 99)]
    [InlineData(99, 1_000, 950, 50)]   // the cap limits it
    [InlineData(99, 1_000, 1_000, 0)]  // the cap is spent
    public void A_programme_grants_its_bonus_up_to_what_is_left_under_its_cap(long wanted, long capFen, long spentFen, long granted) =>
        SubsidyRules.Granted(new Money(wanted), capFen, spentFen).Should().Be(new Money(granted));

    [Fact]
    public void The_explanation_says_when_the_cap_limited_the_bonus()
    {
        var choice = new SubsidyChoice(Phones, new Money(99));

        SubsidyRules.Explanation(choice, new Money(99)).Should().Be(" Subsidy \"Phones +20%\" +20 % of the webmaster share = ¥0.99.");
        SubsidyRules.Explanation(choice, new Money(50)).Should().EndWith("= ¥0.50 (limited by the programme's cap).");
    }
}
