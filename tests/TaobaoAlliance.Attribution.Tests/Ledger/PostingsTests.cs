using TaobaoAlliance.Attribution.Ledger;

namespace TaobaoAlliance.Attribution.Tests.Ledger;

/// <summary>
/// Every movement of money as a balanced double entry (product.md, "Ledger"; docs/money.md's table).
/// Seller 3, webmaster 5, order 7; the commission is ¥100 at 5.5 %: 550 fen, fee 55, webmaster 495,
/// subsidy 99 (20 % of the share). Positive = the account holds more.
/// </summary>
public sealed class PostingsTests
{
    private const long Seller = 3;
    private const long Webmaster = 5;
    private const long Order = 7;

    private static readonly CommissionAmounts WithSubsidy = new(new Money(550), new Money(55), new Money(495), new Money(99));
    private static readonly CommissionAmounts NoSubsidy = new(new Money(550), new Money(55), new Money(495), Money.Zero);
    private static readonly Guid Impression = Guid.Parse("0b7e4c1d-2f3a-4b5c-9d8e-7f6a5b4c3d2e");

    private static Posting P(AccountRef account, long fen) => new(account, new Money(fen));

    /// <summary>Every factory with the same arguments, for the rules all entries share.</summary>
    public static TheoryData<string, EntryDraft> AllEntries => new()
    {
        { "deposit", Postings.Deposit(Seller, new Money(100_000), "deposit:1") },
        { "accrued", Postings.CommissionAccrued(Order, Seller, Webmaster, WithSubsidy) },
        { "settled", Postings.CommissionSettled(Order, Seller, Webmaster, WithSubsidy) },
        { "reversed", Postings.CommissionReversed(Order, Seller, Webmaster, WithSubsidy, "r1") },
        { "clawback", Postings.CommissionClawedBack(Order, Seller, Webmaster, WithSubsidy, "r1") },
        { "cpc", Postings.CpcClicks(Impression, 9, Seller, [new PaidCpcClick(Webmaster, new Money(31), new Money(16))]) },
        { "cpc batch", Postings.CpcClicks(Impression, 9, Seller, [new PaidCpcClick(Webmaster, new Money(31), new Money(16)), new PaidCpcClick(Webmaster + 1, new Money(20), new Money(20))]) },
        { "payout requested", Postings.PayoutRequested(12, Webmaster, new Money(10_000)) },
        { "payout approved", Postings.PayoutApproved(12, Webmaster, new Money(10_000)) },
        { "payout rejected", Postings.PayoutRejected(12, Webmaster, new Money(10_000)) },
    };

    [Theory]
    [MemberData(nameof(AllEntries))]
    public void Every_entry_sums_to_zero_and_has_no_zero_or_repeated_lines(string name, EntryDraft entry)
    {
        entry.Lines.Should().NotBeEmpty(name);
        entry.Lines.Sum(l => l.Amount.Fen).Should().Be(0, name);
        entry.Lines.Should().OnlyContain(l => l.Amount.Fen != 0, name);
        entry.Lines.Select(l => l.Account).Should().OnlyHaveUniqueItems(name);
    }

    // ---- which accounts each entry moves ----

    [Fact]
    public void A_deposit_moves_money_from_outside_into_the_sellers_wallet()
    {
        var entry = Postings.Deposit(Seller, new Money(100_000), "deposit:1");

        entry.Kind.Should().Be("wallet.deposit");
        entry.IdempotencyKey.Should().Be("deposit:1");
        entry.Lines.Should().BeEquivalentTo([P(AccountRef.External, -100_000), P(AccountRef.Wallet(Seller), 100_000)]);
        entry.Description.Should().Contain("¥1,000.00").And.Contain("seller 3");
    }

    [Fact]
    public void An_accrual_makes_the_seller_owe_the_commission_and_credits_fee_and_pending_share()
    {
        var entry = Postings.CommissionAccrued(Order, Seller, Webmaster, WithSubsidy);

        entry.Kind.Should().Be("commission.accrued");
        entry.Lines.Should().BeEquivalentTo(
        [
            P(AccountRef.CommissionDue(Seller), -550),
            P(AccountRef.Revenue, 55),
            P(AccountRef.Subsidy, -99),
            P(AccountRef.Pending(Webmaster), 594),
        ]);
        entry.Debited.Should().BeEquivalentTo([AccountRef.CommissionDue(Seller), AccountRef.Subsidy]);
    }

    [Fact]
    public void The_subsidy_is_paid_by_the_platform_never_by_the_seller()
    {
        var with = Postings.CommissionAccrued(Order, Seller, Webmaster, WithSubsidy);
        var without = Postings.CommissionAccrued(Order, Seller, Webmaster, NoSubsidy);

        static IEnumerable<Posting> SellersLines(EntryDraft e) => e.Lines.Where(l => l.Account.SellerId is not null);
        SellersLines(with).Should().BeEquivalentTo(SellersLines(without));
        SellersLines(with).Should().BeEquivalentTo([P(AccountRef.CommissionDue(Seller), -550)]);
        with.Lines.Should().ContainEquivalentOf(P(AccountRef.Subsidy, -99));
        with.Lines.Should().ContainEquivalentOf(P(AccountRef.Pending(Webmaster), 594));
    }

    [Fact]
    public void An_accrual_without_subsidy_has_no_subsidy_line()
    {
        var entry = Postings.CommissionAccrued(Order, Seller, Webmaster, NoSubsidy);

        entry.Lines.Should().BeEquivalentTo(
        [
            P(AccountRef.CommissionDue(Seller), -550),
            P(AccountRef.Revenue, 55),
            P(AccountRef.Pending(Webmaster), 495),
        ]);
    }

    [Fact]
    public void Settlement_has_the_wallet_pay_what_is_due_and_moves_the_share_from_pending_to_available()
    {
        var entry = Postings.CommissionSettled(Order, Seller, Webmaster, WithSubsidy);

        entry.Kind.Should().Be("commission.settled");
        entry.Lines.Should().BeEquivalentTo(
        [
            P(AccountRef.Wallet(Seller), -550),
            P(AccountRef.CommissionDue(Seller), 550),
            P(AccountRef.Pending(Webmaster), -594),
            P(AccountRef.Available(Webmaster), 594),
        ]);
        entry.Lines.Should().NotContain(l => l.Account == AccountRef.Revenue || l.Account == AccountRef.Subsidy);
    }

    [Fact]
    public void A_reversal_mirrors_the_accrual_line_by_line()
    {
        var entry = Postings.CommissionReversed(Order, Seller, Webmaster, WithSubsidy, "r1");

        entry.Kind.Should().Be("commission.reversed");
        entry.Lines.Should().BeEquivalentTo(
        [
            P(AccountRef.CommissionDue(Seller), 550),
            P(AccountRef.Revenue, -55),
            P(AccountRef.Subsidy, 99),
            P(AccountRef.Pending(Webmaster), -594),
        ]);
    }

    [Fact]
    public void A_full_reversal_leaves_every_account_as_it_was_before_the_accrual()
    {
        var net = Net(
            Postings.CommissionAccrued(Order, Seller, Webmaster, WithSubsidy),
            Postings.CommissionReversed(Order, Seller, Webmaster, WithSubsidy, "r1"));

        net.Should().OnlyContain(kv => kv.Value == 0);
        net.Keys.Should().BeEquivalentTo([AccountRef.CommissionDue(Seller), AccountRef.Revenue, AccountRef.Subsidy, AccountRef.Pending(Webmaster)]);
    }

    [Fact]
    public void A_partial_reversal_takes_back_only_the_refunded_part()
    {
        // Half the line refunded: 550/55/495/99 accrued, 275/28/247/49 remain, so 275/27/248/50 are reversed.
        var refunded = new CommissionAmounts(new Money(275), new Money(27), new Money(248), new Money(50));

        var net = Net(
            Postings.CommissionAccrued(Order, Seller, Webmaster, WithSubsidy),
            Postings.CommissionReversed(Order, Seller, Webmaster, refunded, "r1"));

        net.Should().BeEquivalentTo(new Dictionary<AccountRef, long>
        {
            [AccountRef.CommissionDue(Seller)] = -275,
            [AccountRef.Revenue] = 28,
            [AccountRef.Subsidy] = -49,
            [AccountRef.Pending(Webmaster)] = 296,
        });
    }

    [Fact]
    public void A_clawback_gives_the_seller_the_commission_back_and_takes_it_from_the_webmasters_available_balance()
    {
        var entry = Postings.CommissionClawedBack(Order, Seller, Webmaster, WithSubsidy, "r1");

        entry.Kind.Should().Be("commission.clawback");
        entry.Lines.Should().BeEquivalentTo(
        [
            P(AccountRef.Wallet(Seller), 550),
            P(AccountRef.Revenue, -55),
            P(AccountRef.Subsidy, 99),
            P(AccountRef.Available(Webmaster), -594),
        ]);
    }

    [Fact]
    public void Accrual_settlement_and_a_full_clawback_leave_every_account_as_before()
    {
        var net = Net(
            Postings.CommissionAccrued(Order, Seller, Webmaster, WithSubsidy),
            Postings.CommissionSettled(Order, Seller, Webmaster, WithSubsidy),
            Postings.CommissionClawedBack(Order, Seller, Webmaster, WithSubsidy, "r1"));

        net.Should().HaveCount(6).And.OnlyContain(kv => kv.Value == 0);
    }

    [Fact]
    public void Accrual_then_settlement_leaves_the_seller_paying_the_commission_and_the_webmaster_with_it_available()
    {
        var net = Net(
            Postings.CommissionAccrued(Order, Seller, Webmaster, WithSubsidy),
            Postings.CommissionSettled(Order, Seller, Webmaster, WithSubsidy));

        net.Where(kv => kv.Value != 0).ToDictionary().Should().BeEquivalentTo(new Dictionary<AccountRef, long>
        {
            [AccountRef.Wallet(Seller)] = -550,
            [AccountRef.Revenue] = 55,
            [AccountRef.Subsidy] = -99,
            [AccountRef.Available(Webmaster)] = 594,
        });
    }

    [Fact]
    public void A_paid_cpc_click_takes_the_price_from_the_wallet_and_splits_it_between_webmaster_and_platform()
    {
        // ¥0.31 at a 50 % share: 15.5 → 16 fen to the webmaster, 15 to the platform.
        var entry = Postings.CpcClicks(Impression, campaignId: 9, Seller, [new PaidCpcClick(Webmaster, new Money(31), new Money(16))]);

        entry.Kind.Should().Be("cpc.clicks");
        entry.Description.Should().Contain("1 CPC clicks on campaign 9");
        entry.Lines.Should().ContainEquivalentOf(P(AccountRef.Wallet(Seller), -31));
        entry.Lines.Should().ContainEquivalentOf(P(AccountRef.Revenue, 15));
        entry.Lines.Should().ContainSingle(l => l.Account.WebmasterId == Webmaster)
            .Which.Amount.Should().Be(new Money(16));
        entry.Debited.Should().Equal(AccountRef.Wallet(Seller));
    }

    [Fact]
    public void A_batch_of_cpc_clicks_is_one_entry_with_one_line_per_account()
    {
        // Three clicks, two webmasters: the wallet pays 31 + 50 + 10, each webmaster's shares are summed, the platform keeps the rest.
        var entry = Postings.CpcClicks(Impression, 9, Seller, [
            new PaidCpcClick(Webmaster, new Money(31), new Money(16)),
            new PaidCpcClick(Webmaster + 1, new Money(50), new Money(25)),
            new PaidCpcClick(Webmaster, new Money(10), new Money(5)),
        ]);

        entry.IdempotencyKey.Should().Be("cpc:0b7e4c1d2f3a4b5c9d8e7f6a5b4c3d2e", "the batch is named by its first charged impression");
        entry.Description.Should().Contain("3 CPC clicks");
        entry.Lines.Should().BeEquivalentTo([
            P(AccountRef.Wallet(Seller), -91), P(AccountRef.CpcPending(Webmaster), 21), P(AccountRef.CpcPending(Webmaster + 1), 25),
            P(AccountRef.Revenue, 15 + 25 + 5)]);
    }

    [Fact]
    public void A_cpc_clicks_share_waits_in_cpc_pending_for_the_hold() =>
        Postings.CpcClicks(Impression, 9, Seller, [new PaidCpcClick(Webmaster, new Money(31), new Money(16))])
            .Lines.Should().ContainEquivalentOf(P(AccountRef.CpcPending(Webmaster), 16))
            .And.NotContain(l => l.Account.Kind == AccountKind.WebmasterAvailable);

    [Fact]
    public void A_cpc_click_whose_whole_price_goes_to_the_webmaster_has_no_revenue_line() =>
        Postings.CpcClicks(Impression, 9, Seller, [new PaidCpcClick(Webmaster, new Money(20), new Money(20))]).Lines
            .Should().BeEquivalentTo([P(AccountRef.Wallet(Seller), -20), P(AccountRef.CpcPending(Webmaster), 20)]);

    [Fact]
    public void A_cpc_release_moves_each_webmasters_held_share_to_available_in_one_entry()
    {
        var entry = Postings.CpcReleased("41", [(Webmaster, new Money(16)), (Webmaster + 1, new Money(9)), (Webmaster, new Money(4))]);

        entry.Kind.Should().Be("cpc.released");
        entry.IdempotencyKey.Should().Be("cpc-release:41");
        entry.Lines.Should().BeEquivalentTo([
            P(AccountRef.CpcPending(Webmaster), -20), P(AccountRef.Available(Webmaster), 20),
            P(AccountRef.CpcPending(Webmaster + 1), -9), P(AccountRef.Available(Webmaster + 1), 9)]);
    }

    [Fact]
    public void A_cpc_void_undoes_each_click_exactly_reversing_held_shares_and_clawing_back_released_ones()
    {
        var entry = Postings.CpcVoided("run", [
            new VoidedCpcCharge(Seller, Webmaster, new Money(31), new Money(16), Released: false),
            new VoidedCpcCharge(Seller, Webmaster, new Money(50), new Money(25), Released: true),
            new VoidedCpcCharge(Seller + 1, Webmaster, new Money(10), new Money(5), Released: false),
        ]);

        entry.Kind.Should().Be("cpc.voided");
        entry.IdempotencyKey.Should().Be("cpc-void:run");
        entry.Lines.Should().BeEquivalentTo([
            P(AccountRef.Wallet(Seller), 81), P(AccountRef.Wallet(Seller + 1), 10),
            P(AccountRef.CpcPending(Webmaster), -21), P(AccountRef.Available(Webmaster), -25),
            P(AccountRef.Revenue, -(15 + 25 + 5))]);
    }

    [Fact]
    public void A_cpc_void_is_the_negation_of_the_clicks_it_voids_while_they_are_held()
    {
        var clicks = new[] { Postings.CpcClicks(Impression, 9, Seller, [new PaidCpcClick(Webmaster, new Money(31), new Money(16))]) };
        var voided = Postings.CpcVoided("x", [new VoidedCpcCharge(Seller, Webmaster, new Money(31), new Money(16), Released: false)]);

        voided.Lines.Should().BeEquivalentTo(clicks.SelectMany(c => c.Lines).Select(l => l with { Amount = -l.Amount }));
    }

    [Fact]
    public void A_payout_request_moves_available_money_into_the_request()
    {
        var entry = Postings.PayoutRequested(12, Webmaster, new Money(10_000));

        entry.Kind.Should().Be("payout.requested");
        entry.Lines.Should().BeEquivalentTo([P(AccountRef.Available(Webmaster), -10_000), P(AccountRef.PayoutRequested(Webmaster), 10_000)]);
        entry.Debited.Should().Equal(AccountRef.Available(Webmaster));
    }

    [Fact]
    public void An_approved_payout_is_paid_out_from_the_request()
    {
        var entry = Postings.PayoutApproved(12, Webmaster, new Money(10_000));

        entry.Kind.Should().Be("payout.approved");
        entry.Lines.Should().BeEquivalentTo([P(AccountRef.PayoutRequested(Webmaster), -10_000), P(AccountRef.PaidOut(Webmaster), 10_000)]);
    }

    [Fact]
    public void A_rejected_payout_returns_the_money_to_available()
    {
        var entry = Postings.PayoutRejected(12, Webmaster, new Money(10_000));

        entry.Kind.Should().Be("payout.rejected");
        entry.Lines.Should().BeEquivalentTo([P(AccountRef.PayoutRequested(Webmaster), -10_000), P(AccountRef.Available(Webmaster), 10_000)]);
        Net(Postings.PayoutRequested(12, Webmaster, new Money(10_000)), entry).Should().OnlyContain(kv => kv.Value == 0);
    }

    [Fact]
    public void Commission_and_payout_entries_stay_on_the_named_seller_and_webmaster()
    {
        var entries = new[]
        {
            Postings.CommissionAccrued(Order, Seller, Webmaster, WithSubsidy),
            Postings.CommissionSettled(Order, Seller, Webmaster, WithSubsidy),
            Postings.CommissionReversed(Order, Seller, Webmaster, WithSubsidy, "r1"),
            Postings.CommissionClawedBack(Order, Seller, Webmaster, WithSubsidy, "r1"),
            Postings.CpcClicks(Impression, 9, Seller, [new PaidCpcClick(Webmaster, new Money(31), new Money(16))]),
            Postings.PayoutRequested(12, Webmaster, new Money(10_000)),
        };

        entries.SelectMany(e => e.Lines).Select(l => l.Account).Should().OnlyContain(a =>
            (a.SellerId == null || a.SellerId == Seller) && (a.WebmasterId == null || a.WebmasterId == Webmaster));
    }

    // ---- idempotency keys ----

    [Fact]
    public void Idempotency_keys_name_the_event_exactly()
    {
        Postings.CommissionAccrued(Order, Seller, Webmaster, WithSubsidy).IdempotencyKey.Should().Be("order:7:accrued");
        Postings.CommissionSettled(Order, Seller, Webmaster, WithSubsidy).IdempotencyKey.Should().Be("order:7:settled");
        Postings.CommissionReversed(Order, Seller, Webmaster, WithSubsidy, "r1").IdempotencyKey.Should().Be("order:7:reversed:r1");
        Postings.CommissionClawedBack(Order, Seller, Webmaster, WithSubsidy, "r1").IdempotencyKey.Should().Be("order:7:clawback:r1");
        Postings.CpcClicks(Impression, 9, Seller, [new PaidCpcClick(Webmaster, new Money(31), new Money(16))]).IdempotencyKey
            .Should().Be("cpc:0b7e4c1d2f3a4b5c9d8e7f6a5b4c3d2e");
        Postings.PayoutRequested(12, Webmaster, new Money(10_000)).IdempotencyKey.Should().Be("payout:12:requested");
        Postings.PayoutApproved(12, Webmaster, new Money(10_000)).IdempotencyKey.Should().Be("payout:12:approved");
        Postings.PayoutRejected(12, Webmaster, new Money(10_000)).IdempotencyKey.Should().Be("payout:12:rejected");
    }

    [Fact]
    public void The_same_event_posted_again_has_the_same_key_even_with_other_amounts()
    {
        // A replayed event must be recognised by its key alone, whatever it would move this time.
        var other = new CommissionAmounts(new Money(100), new Money(10), new Money(90), Money.Zero);

        Postings.CommissionAccrued(Order, Seller, Webmaster, WithSubsidy).IdempotencyKey
            .Should().Be(Postings.CommissionAccrued(Order, Seller, Webmaster, other).IdempotencyKey);
        Postings.CommissionReversed(Order, Seller, Webmaster, WithSubsidy, "r1").IdempotencyKey
            .Should().Be(Postings.CommissionReversed(Order, Seller, Webmaster, other, "r1").IdempotencyKey);
        Postings.CpcClicks(Impression, 9, Seller, [new PaidCpcClick(Webmaster, new Money(31), new Money(16))]).IdempotencyKey
            .Should().Be(Postings.CpcClicks(Impression, 9, Seller, [new PaidCpcClick(Webmaster, new Money(50), new Money(25))]).IdempotencyKey);
        Postings.PayoutRequested(12, Webmaster, new Money(10_000)).IdempotencyKey
            .Should().Be(Postings.PayoutRequested(12, Webmaster, new Money(20_000)).IdempotencyKey);
    }

    [Fact]
    public void Distinct_events_have_distinct_keys()
    {
        var keys = new[]
        {
            Postings.CommissionAccrued(7, Seller, Webmaster, WithSubsidy),
            Postings.CommissionAccrued(8, Seller, Webmaster, WithSubsidy),
            Postings.CommissionAccrued(70, Seller, Webmaster, WithSubsidy),
            Postings.CommissionSettled(7, Seller, Webmaster, WithSubsidy),
            Postings.CommissionSettled(8, Seller, Webmaster, WithSubsidy),
            Postings.CommissionReversed(7, Seller, Webmaster, WithSubsidy, "r1"),
            Postings.CommissionReversed(7, Seller, Webmaster, WithSubsidy, "r2"),
            Postings.CommissionReversed(8, Seller, Webmaster, WithSubsidy, "r1"),
            Postings.CommissionClawedBack(7, Seller, Webmaster, WithSubsidy, "r1"),
            Postings.CommissionClawedBack(7, Seller, Webmaster, WithSubsidy, "r2"),
            Postings.CpcClicks(Impression, 9, Seller, [new PaidCpcClick(Webmaster, new Money(31), new Money(16))]),
            Postings.CpcClicks(Guid.Parse("0b7e4c1d-2f3a-4b5c-9d8e-7f6a5b4c3d2f"), 9, Seller, [new PaidCpcClick(Webmaster, new Money(31), new Money(16))]),
            Postings.PayoutRequested(12, Webmaster, new Money(10_000)),
            Postings.PayoutRequested(13, Webmaster, new Money(10_000)),
            Postings.PayoutApproved(12, Webmaster, new Money(10_000)),
            Postings.PayoutRejected(12, Webmaster, new Money(10_000)),
            Postings.Deposit(Seller, new Money(100), "deposit:1"),
            Postings.Deposit(Seller, new Money(100), "deposit:2"),
        }.Select(e => e.IdempotencyKey);

        keys.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void A_deposits_key_is_the_one_its_caller_gives() =>
        Postings.Deposit(Seller, new Money(100), "seed:deposit:0").IdempotencyKey.Should().Be("seed:deposit:0");

    // ---- zero and unbalanced lines ----

    [Fact]
    public void Zero_amounts_drop_out_leaving_an_entry_with_no_lines()
    {
        Postings.Deposit(Seller, Money.Zero, "deposit:0").Lines.Should().BeEmpty();
        Postings.CommissionAccrued(Order, Seller, Webmaster, default).Lines.Should().BeEmpty();
        Postings.PayoutRequested(12, Webmaster, Money.Zero).Lines.Should().BeEmpty();
    }

    [Fact]
    public void A_commission_of_zero_with_only_a_subsidy_moves_only_the_subsidy()
    {
        var subsidyOnly = new CommissionAmounts(Money.Zero, Money.Zero, Money.Zero, new Money(5));

        Postings.CommissionAccrued(Order, Seller, Webmaster, subsidyOnly).Lines
            .Should().BeEquivalentTo([P(AccountRef.Subsidy, -5), P(AccountRef.Pending(Webmaster), 5)]);
    }

    [Fact]
    public void Lines_on_the_same_account_are_merged_and_cancelling_ones_dropped()
    {
        var entry = new EntryDraft("test", "test:1", "merging",
        [
            P(AccountRef.Wallet(Seller), -30),
            P(AccountRef.Wallet(Seller), -20),
            P(AccountRef.Revenue, 50),
            P(AccountRef.Available(Webmaster), 10),
            P(AccountRef.Available(Webmaster), -10),
        ]);

        entry.Lines.Should().BeEquivalentTo([P(AccountRef.Wallet(Seller), -50), P(AccountRef.Revenue, 50)]);
    }

    [Fact]
    public void An_entry_that_does_not_balance_is_refused()
    {
        var build = () => new EntryDraft("test", "test:2", "off by one", [P(AccountRef.Wallet(Seller), -30), P(AccountRef.Revenue, 31)]);

        build.Should().Throw<InvalidOperationException>().WithMessage("*test:2*off by 1 fen*");
    }

    [Fact]
    public void Commission_amounts_whose_fee_and_share_do_not_add_up_cannot_be_accrued()
    {
        // 55 + 494 ≠ 550: the accrual would be off by a fen, so it is refused rather than written.
        var broken = new CommissionAmounts(new Money(550), new Money(55), new Money(494), Money.Zero);

        var accrue = () => Postings.CommissionAccrued(Order, Seller, Webmaster, broken);

        accrue.Should().Throw<InvalidOperationException>().WithMessage("*order:7:accrued*off by -1 fen*");
    }

    /// <summary>What a sequence of entries leaves on each account it touched.</summary>
    private static Dictionary<AccountRef, long> Net(params EntryDraft[] entries) =>
        entries.SelectMany(e => e.Lines).GroupBy(l => l.Account).ToDictionary(g => g.Key, g => g.Sum(l => l.Amount.Fen));
}
