// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IERC6551Account, IERC6551Executable} from "../interfaces/IERC6551.sol";

/// @title Minimal ERC-6551 token-bound account (devnet implementation)
/// @notice Controlled by whoever owns the bound token. Only CALL operations are supported.
contract ERC6551Account is IERC165, IERC1271, IERC6551Account, IERC6551Executable, IERC721Receiver {
    /// @notice The caller does not own the token this account is bound to.
    error NotTokenOwner(address caller);
    /// @notice Only operation 0 (CALL) is supported.
    error UnsupportedOperation(uint8 operation);
    /// @notice The account would own the token that controls it, locking itself forever.
    error OwnershipCycle();

    /// @notice Counts executed operations (ERC-6551 `state`).
    uint256 public state;

    /// @notice Emitted for every executed call.
    event Executed(address indexed to, uint256 value, bytes data);

    /// @notice The account holds native IOTX.
    receive() external payable {}

    /// @notice Executes a call from the account; only the token's owner may call.
    function execute(address to, uint256 value, bytes calldata data, uint8 operation)
        external
        payable
        returns (bytes memory result)
    {
        if (!_isValidSigner(msg.sender)) revert NotTokenOwner(msg.sender);
        if (operation != 0) revert UnsupportedOperation(operation);
        ++state;
        emit Executed(to, value, data);
        bool ok;
        (ok, result) = to.call{value: value}(data);
        if (!ok) {
            // Bubbles the callee's revert data up unchanged, which Solidity cannot do without assembly.
            // solhint-disable-next-line no-inline-assembly
            assembly {
                revert(add(result, 32), mload(result))
            }
        }
    }

    /// @notice The token this account is bound to, read from the proxy's code footer.
    function token() public view returns (uint256 chainId, address tokenContract, uint256 tokenId) {
        bytes memory footer = new bytes(0x60);
        // Reads the ERC-6551 proxy's immutable footer from code; Solidity has no extcodecopy.
        // solhint-disable-next-line no-inline-assembly
        assembly {
            extcodecopy(address(), add(footer, 0x20), 0x4d, 0x60)
        }
        return abi.decode(footer, (uint256, address, uint256));
    }

    /// @notice The owner of the bound token (zero when bound to another chain).
    function owner() public view returns (address) {
        (uint256 chainId, address tokenContract, uint256 tokenId) = token();
        if (chainId != block.chainid) return address(0);
        return IERC721(tokenContract).ownerOf(tokenId);
    }

    /// @notice ERC-6551 signer check: the token owner is the only valid signer.
    function isValidSigner(address signer, bytes calldata) external view returns (bytes4) {
        return _isValidSigner(signer) ? IERC6551Account.isValidSigner.selector : bytes4(0);
    }

    /// @notice ERC-1271: valid when the token owner signed `hash`.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        return SignatureChecker.isValidSignatureNow(owner(), hash, signature) ? IERC1271.isValidSignature.selector : bytes4(0);
    }

    /// @notice Accepts NFTs, except the token that controls this account.
    function onERC721Received(address, address, uint256 receivedId, bytes calldata) external view returns (bytes4) {
        (uint256 chainId, address tokenContract, uint256 tokenId) = token();
        if (chainId == block.chainid && msg.sender == tokenContract && receivedId == tokenId) revert OwnershipCycle();
        return IERC721Receiver.onERC721Received.selector;
    }

    /// @notice ERC-165.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IERC165).interfaceId || interfaceId == type(IERC6551Account).interfaceId
            || interfaceId == type(IERC6551Executable).interfaceId || interfaceId == type(IERC721Receiver).interfaceId
            || interfaceId == type(IERC1271).interfaceId;
    }

    function _isValidSigner(address signer) private view returns (bool) {
        return signer == owner();
    }
}
