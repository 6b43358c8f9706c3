/**
 * Canonical download locations and published checksums of the real datasets. MD5 is listed
 * where that is what the authors (or torchvision, for mirrors) publish. `extract` says whether
 * {@link download} unpacks the file (the CIFAR tarballs are read in place and stay packed).
 */

/** One remote file of a dataset. */
export interface RemoteFile {
  /** File name in the dataset folder. */
  readonly name: string;
  readonly url: string;
  /** Published MD5 (hex); absent where none is published. */
  readonly md5?: string;
  /** SHA-256 (hex), where known. */
  readonly sha256?: string;
  /** Unpack after verifying: into the dataset folder. */
  readonly extract?: 'tar.gz' | 'zip';
  /** Folder the archive unpacks to; extraction is skipped when it exists. */
  readonly extractsTo?: string;
}

const MNIST_BASE = 'https://ossci-datasets.s3.amazonaws.com/mnist/';
const FASHION_BASE = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';
const OMNIGLOT_BASE = 'https://raw.githubusercontent.com/brendenlake/omniglot/master/python/';

/** Remote files of every downloadable dataset, by registry name. */
export const datasetSources = Object.freeze({
  mnist: [
    { name: 'train-images-idx3-ubyte.gz', url: `${MNIST_BASE}train-images-idx3-ubyte.gz`, md5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873' },
    { name: 'train-labels-idx1-ubyte.gz', url: `${MNIST_BASE}train-labels-idx1-ubyte.gz`, md5: 'd53e105ee54ea40749a09fcbcd1e9432' },
    { name: 't10k-images-idx3-ubyte.gz', url: `${MNIST_BASE}t10k-images-idx3-ubyte.gz`, md5: '9fb629c4189551a2d022fa330f9573f3' },
    { name: 't10k-labels-idx1-ubyte.gz', url: `${MNIST_BASE}t10k-labels-idx1-ubyte.gz`, md5: 'ec29112dd5afa0611ce80d1b7f02629c' },
  ],
  'fashion-mnist': [
    { name: 'train-images-idx3-ubyte.gz', url: `${FASHION_BASE}train-images-idx3-ubyte.gz`, md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d' },
    { name: 'train-labels-idx1-ubyte.gz', url: `${FASHION_BASE}train-labels-idx1-ubyte.gz`, md5: '25c81989df183df01b3e8a0aad5dffbe' },
    { name: 't10k-images-idx3-ubyte.gz', url: `${FASHION_BASE}t10k-images-idx3-ubyte.gz`, md5: 'bef4ecab320f06d8554ea6380940ec79' },
    { name: 't10k-labels-idx1-ubyte.gz', url: `${FASHION_BASE}t10k-labels-idx1-ubyte.gz`, md5: 'bb300cfdad3c16e7a12a480ee83cd310' },
  ],
  cifar10: [
    {
      name: 'cifar-10-binary.tar.gz', url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
      md5: 'c32a1d4ab5d03f1284b67883e8d87530', sha256: 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd',
    },
  ],
  cifar100: [
    { name: 'cifar-100-binary.tar.gz', url: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz', md5: '03b5dce01913d631647c71ecec9e9cb8' },
  ],
  svhn: [
    { name: 'train_32x32.mat', url: 'http://ufldl.stanford.edu/housenumbers/train_32x32.mat', md5: 'e26dedcc434d2e4c54c9b2d4a06d8373' },
    { name: 'test_32x32.mat', url: 'http://ufldl.stanford.edu/housenumbers/test_32x32.mat', md5: 'eb5a983be6a315427106f1b164d9cef3' },
  ],
  notmnist: [
    {
      name: 'notMNIST_small.tar.gz', url: 'http://yaroslavvb.com/upload/notMNIST/notMNIST_small.tar.gz',
      extract: 'tar.gz', extractsTo: 'notMNIST_small',
    },
  ],
  omniglot: [
    { name: 'images_background.zip', url: `${OMNIGLOT_BASE}images_background.zip`, md5: '68d2efa1b9178cc56df9314c21c6e718', extract: 'zip', extractsTo: 'images_background' },
    { name: 'images_evaluation.zip', url: `${OMNIGLOT_BASE}images_evaluation.zip`, md5: '6b91aef0f799c5bb55b94e3f2daec811', extract: 'zip', extractsTo: 'images_evaluation' },
  ],
  'tiny-imagenet': [
    {
      name: 'tiny-imagenet-200.zip', url: 'http://cs231n.stanford.edu/tiny-imagenet-200.zip',
      md5: '90528d7ca1a48142e341f4ef8d21d0de', extract: 'zip', extractsTo: 'tiny-imagenet-200',
    },
  ],
} satisfies Record<string, readonly RemoteFile[]>) as Readonly<Record<DownloadableDataset, readonly RemoteFile[]>>;

/** A dataset {@link download} knows how to fetch. */
export type DownloadableDataset = 'mnist' | 'fashion-mnist' | 'cifar10' | 'cifar100' | 'svhn' | 'notmnist' | 'omniglot' | 'tiny-imagenet';
