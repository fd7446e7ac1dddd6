using TaobaoAlliance.Attribution.Commissions;

namespace TaobaoAlliance.Attribution.Tests.Commissions;

/// <summary>
/// Which click wins an order (product.md, "Which click wins, precisely"): the store's explicit click id
/// first, else the visitor's last valid click in <c>[paidAt − window, paidAt]</c> (both edges inside).
/// </summary>
public sealed class LastClickAttributionTests
{
    private static readonly DateTimeOffset PaidAt = new(2025, 6, 15, 12, 0, 0, TimeSpan.FromHours(8));
    private static readonly TimeSpan Window = TimeSpan.FromDays(15);

    private static Guid Id(int n) => new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)n);

    /// <summary>Click number <paramref name="n"/>, made <paramref name="before"/> the payment (negative: after it).</summary>
    private static ClickFacts Click(int n, TimeSpan before, bool valid = true) =>
        new(Id(n), PaidAt - before, valid, valid ? null : "bot_user_agent",
            WebmasterId: 100 + n, SiteId: 200 + n, ItemId: 300, ShopId: 400, ItemRateBp: 550, ShopRateBp: 200);

    private static AttributionDecision Decide(ClickFacts? explicitClick, params ClickFacts[] visitorClicks) =>
        LastClickAttribution.Decide(explicitClick, visitorClicks, PaidAt, Window, orderShopId: 400);

    // ---- the visitor's clicks ----

    [Fact]
    public void The_last_valid_click_within_the_window_wins_whatever_order_the_clicks_come_in()
    {
        var tenDays = Click(1, TimeSpan.FromDays(10));
        var threeDays = Click(2, TimeSpan.FromDays(3));
        var oneHour = Click(3, TimeSpan.FromHours(1));

        var decision = Decide(null, threeDays, oneHour, tenDays);

        decision.Winner.Should().Be(oneHour);
        decision.Note.Should().Contain(Id(3).ToString()).And.Contain("last valid click").And.Contain("1 h before payment");
    }

    [Fact]
    public void The_note_says_how_long_before_payment_the_winning_click_was() =>
        Decide(null, Click(1, TimeSpan.FromHours(36))).Note.Should().Contain("36 h before payment");

    [Fact]
    public void The_winner_is_the_click_itself_with_its_webmaster_and_rates()
    {
        var click = Click(7, TimeSpan.FromDays(2));

        var winner = Decide(null, click).Winner;

        winner.Should().NotBeNull();
        winner!.WebmasterId.Should().Be(107);
        winner.ItemRateBp.Should().Be(550);
        winner.ShopRateBp.Should().Be(200);
    }

    [Fact]
    public void Invalid_clicks_never_win_even_when_they_are_the_latest()
    {
        var valid = Click(1, TimeSpan.FromDays(2));
        var laterInvalid = Click(2, TimeSpan.FromHours(1), valid: false);

        var decision = Decide(null, valid, laterInvalid);

        decision.Winner.Should().Be(valid);
        decision.Note.Should().Contain(Id(1).ToString()).And.Contain("1 later invalid click(s) ignored");
    }

    [Fact]
    public void Only_invalid_clicks_later_than_the_winner_are_counted_as_ignored()
    {
        var olderInvalid = Click(1, TimeSpan.FromDays(5), valid: false);
        var valid = Click(2, TimeSpan.FromDays(3));
        var laterInvalid1 = Click(3, TimeSpan.FromDays(1), valid: false);
        var laterInvalid2 = Click(4, TimeSpan.FromHours(2), valid: false);

        var decision = Decide(null, olderInvalid, laterInvalid2, valid, laterInvalid1);

        decision.Winner.Should().Be(valid);
        decision.Note.Should().Contain("(2 later invalid click(s) ignored)");
    }

    [Fact]
    public void A_winner_with_no_later_invalid_click_mentions_none() =>
        Decide(null, Click(1, TimeSpan.FromDays(1)), Click(2, TimeSpan.FromDays(4), valid: false))
            .Note.Should().NotContain("ignored");

    [Fact]
    public void When_every_click_in_the_window_is_invalid_nothing_wins()
    {
        var decision = Decide(null, Click(1, TimeSpan.FromDays(1), valid: false), Click(2, TimeSpan.FromHours(3), valid: false));

        decision.Winner.Should().BeNull();
        decision.Note.Should().Contain("All 2 clicks").And.Contain("invalid");
    }

    [Fact]
    public void A_visitor_without_clicks_earns_nothing_and_the_note_says_so()
    {
        var decision = Decide(null);

        decision.Winner.Should().BeNull();
        decision.Note.Should().Contain("No click by this visitor").And.Contain("15 days before payment");
    }

    // ---- the window's edges: both inside ----

    [Fact]
    public void A_click_exactly_one_window_before_payment_is_still_inside()
    {
        var atTheEdge = Click(1, Window);

        Decide(null, atTheEdge).Winner.Should().Be(atTheEdge);
    }

    [Fact]
    public void A_click_one_tick_before_the_window_opens_earns_nothing()
    {
        var decision = Decide(null, Click(1, Window + TimeSpan.FromTicks(1)));

        decision.Winner.Should().BeNull();
        decision.Note.Should().Contain("No click by this visitor");
    }

    [Fact]
    public void A_click_at_the_very_instant_of_payment_wins()
    {
        var atPayment = Click(1, TimeSpan.Zero);

        Decide(null, atPayment).Winner.Should().Be(atPayment);
    }

    [Fact]
    public void A_click_one_tick_after_payment_does_not_win()
    {
        var decision = Decide(null, Click(1, -TimeSpan.FromTicks(1)));

        decision.Winner.Should().BeNull();
        decision.Note.Should().Contain("No click by this visitor");
    }

    [Fact]
    public void A_click_after_payment_does_not_hide_the_last_click_before_it()
    {
        var before = Click(1, TimeSpan.FromHours(2));
        var after = Click(2, -TimeSpan.FromMinutes(5));

        Decide(null, before, after).Winner.Should().Be(before);
    }

    [Fact]
    public void An_invalid_click_outside_the_window_is_not_counted_in_the_note()
    {
        var decision = Decide(null, Click(1, TimeSpan.FromDays(1), valid: false), Click(2, TimeSpan.FromDays(20), valid: false));

        decision.Winner.Should().BeNull();
        decision.Note.Should().Contain("All 1 clicks");
    }

    [Fact]
    public void The_window_is_the_one_passed_in()
    {
        var eightDays = Click(1, TimeSpan.FromDays(8));

        var decision = LastClickAttribution.Decide(null, [eightDays], PaidAt, TimeSpan.FromDays(7), orderShopId: 400);

        decision.Winner.Should().BeNull();
        decision.Note.Should().Contain("7 days before payment");
        LastClickAttribution.Decide(null, [eightDays], PaidAt, TimeSpan.FromDays(8), orderShopId: 400).Winner.Should().Be(eightDays);
    }

    // ---- ties ----

    [Fact]
    public void Of_two_valid_clicks_at_the_same_instant_the_greater_id_wins_in_either_order()
    {
        var low = Click(1, TimeSpan.FromHours(5));
        var high = Click(2, TimeSpan.FromHours(5));

        Decide(null, low, high).Winner.Should().Be(high);
        Decide(null, high, low).Winner.Should().Be(high);
    }

    [Fact]
    public void An_invalid_click_tied_with_a_valid_one_never_wins_the_tie()
    {
        var valid = Click(1, TimeSpan.FromHours(5));
        var invalidWithGreaterId = Click(2, TimeSpan.FromHours(5), valid: false);

        Decide(null, invalidWithGreaterId, valid).Winner.Should().Be(valid);
    }

    // ---- the store's explicit click id ----

    [Fact]
    public void An_explicit_click_id_beats_a_later_visitor_cookie_click()
    {
        var explicitClick = Click(1, TimeSpan.FromDays(5));
        var laterCookieClick = Click(2, TimeSpan.FromHours(1));

        var decision = Decide(explicitClick, laterCookieClick);

        decision.Winner.Should().Be(explicitClick);
        decision.Note.Should().Contain(Id(1).ToString()).And.Contain("the store sent its id back");
    }

    [Fact]
    public void An_explicit_click_id_beats_the_cookie_of_a_returning_customer()
    {
        // The customer came through webmaster 102 a week ago and again through 103 yesterday (cookie clicks),
        // but this order's landing URL carried the click of webmaster 101, three days ago.
        var explicitClick = Click(1, TimeSpan.FromDays(3));
        var firstVisit = Click(2, TimeSpan.FromDays(7));
        var returnVisit = Click(3, TimeSpan.FromDays(1));

        var decision = Decide(explicitClick, firstVisit, returnVisit, explicitClick);

        decision.Winner.Should().Be(explicitClick);
        decision.Winner!.WebmasterId.Should().Be(101);
    }

    [Fact]
    public void An_explicit_click_wins_without_any_visitor_cookie() =>
        Decide(Click(1, TimeSpan.FromDays(14))).Winner.Should().Be(Click(1, TimeSpan.FromDays(14)));

    [Fact]
    public void An_explicit_click_exactly_at_the_window_edge_still_wins()
    {
        var explicitClick = Click(1, Window);

        Decide(explicitClick, Click(2, TimeSpan.FromHours(1))).Winner.Should().Be(explicitClick);
    }

    [Fact]
    public void An_invalid_explicit_click_falls_back_to_the_visitors_last_valid_click()
    {
        var invalidExplicit = Click(1, TimeSpan.FromHours(1), valid: false);
        var cookieClick = Click(2, TimeSpan.FromDays(2));

        var decision = Decide(invalidExplicit, cookieClick);

        decision.Winner.Should().Be(cookieClick);
        decision.Note.Should().Contain(Id(1).ToString()).And.Contain("is invalid (bot_user_agent)")
            .And.Contain(Id(2).ToString()).And.Contain("last valid click");
    }

    [Fact]
    public void An_explicit_click_before_the_window_falls_back_to_the_visitor_cookie()
    {
        var oldExplicit = Click(1, Window + TimeSpan.FromTicks(1));
        var cookieClick = Click(2, TimeSpan.FromDays(2));

        var decision = Decide(oldExplicit, cookieClick);

        decision.Winner.Should().Be(cookieClick);
        decision.Note.Should().Contain(Id(1).ToString()).And.Contain("outside the 15-day window");
    }

    [Fact]
    public void An_explicit_click_after_payment_does_not_win()
    {
        var decision = Decide(Click(1, -TimeSpan.FromTicks(1)));

        decision.Winner.Should().BeNull();
        decision.Note.Should().Contain("outside the 15-day window").And.Contain("No click by this visitor");
    }

    [Fact]
    public void An_invalid_explicit_click_and_no_cookie_earn_nothing_and_the_note_gives_both_reasons()
    {
        var decision = Decide(Click(1, TimeSpan.FromHours(1), valid: false), Click(2, TimeSpan.FromHours(2), valid: false));

        decision.Winner.Should().BeNull();
        decision.Note.Should().Contain("is invalid (bot_user_agent)").And.Contain("All 1 clicks");
    }

    // The store's click id names a click on another shop: a hint only (issue 9).
    private static ClickFacts OnShop(long shopId, double hoursBefore) =>
        new(Guid.NewGuid(), PaidAt.AddHours(-hoursBefore), true, null, WebmasterId: 1, SiteId: 1, ItemId: 10, ShopId: shopId, ItemRateBp: 500, ShopRateBp: 300);

    [Fact]
    public void The_stores_click_on_the_ordering_shop_beats_the_visitor_cookie()
    {
        var explicitClick = OnShop(shopId: 1, hoursBefore: 5);

        var decision = LastClickAttribution.Decide(explicitClick, [OnShop(shopId: 1, hoursBefore: 1)], PaidAt, Window, orderShopId: 1);

        decision.Winner.Should().Be(explicitClick);
    }

    [Fact]
    public void The_stores_click_on_another_shop_is_a_hint_only_and_the_visitor_cookie_decides()
    {
        var foreign = OnShop(shopId: 2, hoursBefore: 1);
        var cookie = OnShop(shopId: 1, hoursBefore: 3);

        var decision = LastClickAttribution.Decide(foreign, [cookie], PaidAt, Window, orderShopId: 1);

        decision.Winner.Should().Be(cookie);
        decision.Note.Should().Contain($"{foreign.Id} is for shop 2, not this shop: kept as a hint only");
    }

    [Fact]
    public void The_stores_click_on_another_shop_without_visitor_clicks_leaves_the_order_unattributed()
    {
        var decision = LastClickAttribution.Decide(OnShop(shopId: 2, hoursBefore: 1), [], PaidAt, Window, orderShopId: 1);

        decision.Winner.Should().BeNull();
    }
}
